/* SPDX-License-Identifier: MIT */
/* The memory type the firmware's MTRRs give a physical range (Intel SDM vol. 3, 12.11). Under
 * EPT the CPU ignores the MTRRs for a guest's accesses, so the EPT entries must carry the types
 * the MTRRs would have given: device memory stays uncached, RAM write-back. Pure: the MSR values
 * come in a struct, so the decoding is tested on the host. */
#ifndef X86_MTRR_H
#define X86_MTRR_H

#include <stdint.h>

#define MTRR_TYPE_UC 0
#define MTRR_TYPE_WC 1
#define MTRR_TYPE_WT 4
#define MTRR_TYPE_WP 5
#define MTRR_TYPE_WB 6
/* mtrr_range_type's answer for a range whose pages differ in type. */
#define MTRR_TYPE_MIXED (-1)

#define MTRR_DEF_TYPE_MASK 0xFFull
#define MTRR_DEF_FIXED_ENABLE (1ull << 10)
#define MTRR_DEF_ENABLE (1ull << 11)
#define MTRR_PHYS_MASK_VALID (1ull << 11)
#define MTRR_FIXED_MSRS 11 /* 250h; 258h, 259h; 268h-26Fh */
#define MTRR_MAX_VARIABLE 16

struct mtrr_state {
    uint64_t def_type;               /* IA32_MTRR_DEF_TYPE */
    uint64_t fixed[MTRR_FIXED_MSRS]; /* in the order above; used when def_type enables them */
    unsigned variable_count;         /* MTRRcap.VCNT (at most MTRR_MAX_VARIABLE) */
    uint64_t phys_base[MTRR_MAX_VARIABLE], phys_mask[MTRR_MAX_VARIABLE];
    uint64_t address_mask; /* physical address bits the CPU has, page-aligned: (1 << MAXPHYADDR) - 4096 */
};

/* The type of every byte of [base, base + size), both 4 KiB aligned, or MTRR_TYPE_MIXED when the
 * bytes differ. Overlapping variable ranges combine as the CPU does (UC wins, then WT over WB);
 * other overlaps, which the SDM leaves undefined, count as UC. */
int mtrr_range_type(const struct mtrr_state *s, uint64_t base, uint64_t size);

#endif
