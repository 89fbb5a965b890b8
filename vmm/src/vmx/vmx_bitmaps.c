/* SPDX-License-Identifier: MIT */
#include "vmx/vmx_bitmaps.h"

#define MSR_HIGH_BASE 0xC0000000u
#define MSR_RANGE 0x2000u
#define MSR_WRITES_OFFSET 2048u

void vmx_io_bitmap_set(uint8_t *bitmap_a, uint8_t *bitmap_b, uint16_t port, bool exit) {
    uint8_t *bitmap = port < 0x8000u ? bitmap_a : bitmap_b;
    unsigned bit = port & 0x7FFFu;
    uint8_t mask = (uint8_t)(1u << (bit % 8));
    bitmap[bit / 8] = exit ? (uint8_t)(bitmap[bit / 8] | mask) : (uint8_t)(bitmap[bit / 8] & ~mask);
}

bool vmx_msr_bitmap_set(uint8_t *bitmap, uint32_t msr, bool reads, bool writes) {
    unsigned offset;
    if (msr < MSR_RANGE)
        offset = 0;
    else if (msr >= MSR_HIGH_BASE && msr - MSR_HIGH_BASE < MSR_RANGE)
        offset = 1024;
    else
        return false;
    unsigned bit = msr & (MSR_RANGE - 1);
    uint8_t mask = (uint8_t)(1u << (bit % 8));
    if (reads) bitmap[offset + bit / 8] |= mask;
    if (writes) bitmap[MSR_WRITES_OFFSET + offset + bit / 8] |= mask;
    return true;
}
