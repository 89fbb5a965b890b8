/* SPDX-License-Identifier: MIT */
/* VT-x's I/O and MSR bitmaps (Intel SDM vol. 3, 25.6.4 and 25.6.9): a set bit makes that port's
 * or MSR's access exit, a clear one passes it to the hardware, as SVM's permission maps. Pure:
 * the backend passes the pages. */
#ifndef VMX_VMX_BITMAPS_H
#define VMX_VMX_BITMAPS_H

#include <stdbool.h>
#include <stdint.h>

#define VMX_BITMAP_BYTES 4096u

/* Bitmap A covers ports 0000h-7FFFh, B 8000h-FFFFh, one bit per port. An access of several bytes
 * exits if any of its ports' bits is set. */
void vmx_io_bitmap_set(uint8_t *bitmap_a, uint8_t *bitmap_b, uint16_t port, bool exit);

/* The MSR bitmap: reads of 0-1FFFh, reads of C0000000h-C0001FFFh, then the same two for writes,
 * 1 KiB each. Sets the exits asked for (`reads`, `writes`; it never clears one). False for an MSR
 * outside both ranges: every RDMSR and WRMSR of those exits whatever the bitmap says. */
bool vmx_msr_bitmap_set(uint8_t *bitmap, uint32_t msr, bool reads, bool writes);

#endif
