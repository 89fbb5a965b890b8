/* SPDX-License-Identifier: MIT */
#include "x86/mtrr.h"

#include <stdbool.h>

#define PAGE 0x1000ull
#define FIXED_END 0x100000ull

/* The fixed ranges: where each MSR's 8 ranges start and how large each is. */
static const struct {
    uint64_t start, step;
} fixed_layout[MTRR_FIXED_MSRS] = {
    { 0x00000, 0x10000 }, { 0x80000, 0x4000 }, { 0xA0000, 0x4000 }, { 0xC0000, 0x1000 },
    { 0xC8000, 0x1000 },  { 0xD0000, 0x1000 }, { 0xD8000, 0x1000 }, { 0xE0000, 0x1000 },
    { 0xE8000, 0x1000 },  { 0xF0000, 0x1000 }, { 0xF8000, 0x1000 },
};

static int fixed_type(const struct mtrr_state *s, uint64_t pa) {
    for (unsigned m = 0; m < MTRR_FIXED_MSRS; m++) {
        uint64_t start = fixed_layout[m].start, step = fixed_layout[m].step;
        if (pa >= start && pa < start + 8 * step) return (int)((s->fixed[m] >> (8 * ((pa - start) / step))) & 0xFF);
    }
    return MTRR_TYPE_UC; /* not reached below 1 MiB */
}

/* The variable ranges' combined type at one page; `matched` false when none covers it. */
static int variable_type(const struct mtrr_state *s, uint64_t pa, bool *matched) {
    int type = -1;
    for (unsigned i = 0; i < s->variable_count && i < MTRR_MAX_VARIABLE; i++) {
        if (!(s->phys_mask[i] & MTRR_PHYS_MASK_VALID)) continue;
        uint64_t mask = s->phys_mask[i] & s->address_mask;
        if ((pa & mask) != (s->phys_base[i] & mask)) continue;
        int t = (int)(s->phys_base[i] & 0xFF);
        if (type < 0 || type == t)
            type = t;
        else if (type == MTRR_TYPE_UC || t == MTRR_TYPE_UC)
            type = MTRR_TYPE_UC;
        else if ((type == MTRR_TYPE_WT && t == MTRR_TYPE_WB) || (type == MTRR_TYPE_WB && t == MTRR_TYPE_WT))
            type = MTRR_TYPE_WT;
        else
            type = MTRR_TYPE_UC;
    }
    *matched = type >= 0;
    return type;
}

static int page_type(const struct mtrr_state *s, uint64_t pa) {
    if (!(s->def_type & MTRR_DEF_ENABLE)) return MTRR_TYPE_UC;
    if (pa < FIXED_END && (s->def_type & MTRR_DEF_FIXED_ENABLE)) return fixed_type(s, pa);
    bool matched;
    int type = variable_type(s, pa, &matched);
    return matched ? type : (int)(s->def_type & MTRR_DEF_TYPE_MASK);
}

/* A variable range's match is the same for every page of an aligned block when its mask has no
 * bit inside the block (below its size): such blocks need one look, not one per page. */
static bool uniform_block(const struct mtrr_state *s, uint64_t base, uint64_t size) {
    if ((base | size) & (size - 1)) return false; /* not a naturally aligned power of two */
    if (base < FIXED_END && (s->def_type & MTRR_DEF_FIXED_ENABLE)) return false;
    for (unsigned i = 0; i < s->variable_count && i < MTRR_MAX_VARIABLE; i++)
        if ((s->phys_mask[i] & MTRR_PHYS_MASK_VALID) && (s->phys_mask[i] & s->address_mask & (size - 1))) return false;
    return true;
}

int mtrr_range_type(const struct mtrr_state *s, uint64_t base, uint64_t size) {
    int first = page_type(s, base);
    if (!(s->def_type & MTRR_DEF_ENABLE) || uniform_block(s, base, size)) return first;
    for (uint64_t pa = base + PAGE; pa < base + size; pa += PAGE)
        if (page_type(s, pa) != first) return MTRR_TYPE_MIXED;
    return first;
}
