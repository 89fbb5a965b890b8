/* SPDX-License-Identifier: MIT */
/* Guest linear -> guest physical translation by walking the guest's own page tables, for
 * string I/O and MMIO emulation into guest buffers in every CPU mode (TCG supplies no
 * decode assists, so the hypervisor finds the guest's buffers itself).
 *
 * Modes: paging off, 32-bit paging (4 KiB, 4 MiB with CR4.PSE, PSE-36 high bits), PAE
 * (4 KiB, 2 MiB) and 4-level long mode (4 KiB, 2 MiB, 1 GiB). 5-level paging (CR4.LA57)
 * returns WALK_UNSUPPORTED. Checks: present, reserved bits, R/W (CR0.WP for supervisor
 * writes), U/S, NX (EFER.NXE); SMEP, SMAP and protection keys are not modelled. PAE PDPTEs
 * are read on each walk rather than cached at CR3 load.
 *
 * Accessed/dirty bits are NOT set: the hypervisor touches guest memory on behalf of a
 * device-like transfer (a disk DMA into a buffer), and a device does not set them either;
 * writing guest page tables would also race with the guest's own updates.
 * Pure functions: guest memory is read only through the caller's callback. */
#ifndef MM_GUEST_WALK_H
#define MM_GUEST_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct guest_paging {
    uint64_t cr0, cr3, cr4, efer;
    uint8_t max_phys_addr; /* guest MAXPHYADDR (CPUID 8000_0008 EAX[7:0]), 32..52 */
};

/* Reads len bytes of guest physical memory; false if gpa is not readable memory. */
typedef bool (*guest_phys_read_fn)(void *ctx, uint64_t gpa, void *buf, size_t len);

enum walk_result {
    WALK_OK,
    WALK_NOT_PRESENT,   /* #PF, P=0 in the error code */
    WALK_PROTECTION,    /* #PF, P=1 */
    WALK_RESERVED_BIT,  /* #PF, P=1 RSVD=1 */
    WALK_READ_FAILED,   /* a page-table entry was not readable: no guest-visible fault */
    WALK_NON_CANONICAL, /* long mode: #GP, not #PF */
    WALK_UNSUPPORTED,   /* 5-level paging, or max_phys_addr outside 32..52 */
    WALK_ABORTED,       /* guest_linear_chunks: the chunk callback returned false */
};

/* Access kinds, at their bit positions in the #PF error code (W, U, I). */
enum guest_access {
    GUEST_ACCESS_READ = 0,
    GUEST_ACCESS_WRITE = 1u << 1,
    GUEST_ACCESS_USER = 1u << 2, /* CPL 3 */
    GUEST_ACCESS_FETCH = 1u << 4,
};

#define PF_ERROR_PRESENT (1u << 0)
#define PF_ERROR_RESERVED (1u << 3)

/* Translates one linear address. *pf_error_out gets the error code hardware would push for
 * WALK_NOT_PRESENT, WALK_PROTECTION and WALK_RESERVED_BIT, else 0. Outside long mode the
 * linear address is truncated to 32 bits first. */
enum walk_result guest_linear_to_phys(const struct guest_paging *p, guest_phys_read_fn read, void *ctx, uint64_t linear,
                                      unsigned access, uint64_t *phys_out, uint32_t *pf_error_out);

/* Linear address of segment base + offset, the offset wrapped to the address size (2, 4 or
 * 8 bytes) as in real and protected mode. Outside long mode the walker truncates the sum
 * to 32 bits. */
uint64_t segment_linear(uint64_t base, uint64_t offset, unsigned address_size);

/* One guest-physically contiguous piece of a linear range: `offset` bytes into the range. */
typedef bool (*guest_chunk_fn)(void *ctx, uint64_t gpa, size_t offset, size_t len);

/* Splits [linear, linear+length) into guest-physically contiguous chunks (pages mapped
 * contiguously merge into one chunk) and calls `chunk` for each in order. All pages are
 * translated before the first call, so on a fault nothing has been transferred and
 * *fault_linear_out is the first accessed linear address in the faulting page (CR2). */
enum walk_result guest_linear_chunks(const struct guest_paging *p, guest_phys_read_fn read, void *read_ctx,
                                     uint64_t linear, size_t length, unsigned access, guest_chunk_fn chunk,
                                     void *chunk_ctx, uint64_t *fault_linear_out, uint32_t *pf_error_out);

#endif
