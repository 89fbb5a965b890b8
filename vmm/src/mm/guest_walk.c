/* SPDX-License-Identifier: MIT */
/* Guest page-table walker: one generic loop, parameterized by a per-mode format table. */
#include "mm/guest_walk.h"

#define CR0_WP (1ull << 16)
#define CR0_PG (1ull << 31)
#define CR4_PSE (1ull << 4)
#define CR4_PAE (1ull << 5)
#define CR4_LA57 (1ull << 12)
#define EFER_LMA (1ull << 10)
#define EFER_NXE (1ull << 11)

#define PTE_PRESENT (1ull << 0)
#define PTE_WRITABLE (1ull << 1)
#define PTE_USER (1ull << 2)
#define PTE_LARGE (1ull << 7)
#define PTE_NO_EXECUTE (1ull << 63)

#define PAGE_SIZE 4096u

enum paging_mode { PAGING_32, PAGING_PAE, PAGING_LONG };

struct paging_format {
    unsigned levels;       /* the top level is walked first; level 1 maps 4 KiB */
    unsigned entry_size;   /* bytes */
    unsigned index_bits;   /* linear-address bits per level */
    unsigned large_levels; /* bit n set: a PS=1 entry at level n maps a large page */
};

static const struct paging_format formats[] = {
    [PAGING_32] = { 2, 4, 10, 1u << 2 },                /* 4 MiB pages need CR4.PSE too */
    [PAGING_PAE] = { 3, 8, 9, 1u << 2 },                /* 2 MiB */
    [PAGING_LONG] = { 4, 8, 9, (1u << 2) | (1u << 3) }, /* 2 MiB, 1 GiB */
};

/* Bits high..low inclusive; empty when high < low. */
static uint64_t bit_range(unsigned high, unsigned low) {
    if (high < low) return 0;
    return (~0ull >> (63 - high)) & ~((1ull << low) - 1);
}

static enum paging_mode paging_mode_of(const struct guest_paging *p) {
    if (p->efer & EFER_LMA) return PAGING_LONG;
    return (p->cr4 & CR4_PAE) ? PAGING_PAE : PAGING_32;
}

static uint64_t root_table(const struct guest_paging *p, enum paging_mode mode) {
    switch (mode) {
    case PAGING_32: return p->cr3 & 0xFFFFF000u;
    case PAGING_PAE: return p->cr3 & 0xFFFFFFE0u; /* the PDPT is 32-byte aligned */
    default: return p->cr3 & bit_range(p->max_phys_addr - 1, 12);
    }
}

static bool large_page(const struct guest_paging *p, enum paging_mode mode, unsigned level, uint64_t entry) {
    if (!(entry & PTE_LARGE) || !(formats[mode].large_levels & (1u << level))) return false;
    return mode != PAGING_32 || (p->cr4 & CR4_PSE);
}

static uint64_t reserved_bits(const struct guest_paging *p, enum paging_mode mode, unsigned level, bool large) {
    unsigned maxphy = p->max_phys_addr;
    uint64_t no_execute = (p->efer & EFER_NXE) ? 0 : PTE_NO_EXECUTE;
    switch (mode) {
    case PAGING_32: {
        /* PSE-36: bits 20:13 of a 4 MiB PDE hold physical bits 39:32, up to MAXPHYADDR. */
        unsigned high_bits = (maxphy < 40 ? maxphy : 40) - 32;
        return large ? bit_range(21, 13 + high_bits) : 0;
    }
    case PAGING_PAE:
        if (level == 3) return bit_range(63, maxphy) | bit_range(8, 5) | bit_range(2, 1);
        return bit_range(62, maxphy) | no_execute | (large ? bit_range(20, 13) : 0);
    default: {
        uint64_t mask = bit_range(51, maxphy) | no_execute;
        if (level == 4) mask |= PTE_LARGE;
        if (large) mask |= level == 3 ? bit_range(29, 13) : bit_range(20, 13);
        return mask;
    }
    }
}

static uint64_t page_frame(const struct guest_paging *p, enum paging_mode mode, uint64_t entry, unsigned shift) {
    if (mode == PAGING_32 && shift == 22) return (entry & 0xFFC00000u) | ((entry >> 13) & 0xFF) << 32;
    return entry & bit_range(p->max_phys_addr - 1, shift);
}

static bool is_canonical_48(uint64_t linear) { return (uint64_t)((int64_t)(linear << 16) >> 16) == linear; }

enum walk_result guest_linear_to_phys(const struct guest_paging *p, guest_phys_read_fn read, void *ctx, uint64_t linear,
                                      unsigned access, uint64_t *phys_out, uint32_t *pf_error_out) {
    *pf_error_out = 0;
    if (!(p->cr0 & CR0_PG)) {
        *phys_out = linear & 0xFFFFFFFFu;
        return WALK_OK;
    }
    if (p->max_phys_addr < 32 || p->max_phys_addr > 52) return WALK_UNSUPPORTED;
    enum paging_mode mode = paging_mode_of(p);
    if (mode == PAGING_LONG) {
        if (p->cr4 & CR4_LA57) return WALK_UNSUPPORTED;
        if (!is_canonical_48(linear)) return WALK_NON_CANONICAL;
    } else {
        linear &= 0xFFFFFFFFu;
    }
    bool nx_enabled = mode != PAGING_32 && (p->efer & EFER_NXE);
    uint32_t error = access & (GUEST_ACCESS_WRITE | GUEST_ACCESS_USER);
    if (nx_enabled && (access & GUEST_ACCESS_FETCH)) error |= GUEST_ACCESS_FETCH;

    const struct paging_format *format = &formats[mode];
    uint64_t table = root_table(p, mode), phys = 0;
    bool writable = true, user = true, no_execute = false;
    for (unsigned level = format->levels; level > 0; level--) {
        unsigned shift = 12 + format->index_bits * (level - 1);
        uint64_t index = (linear >> shift) & ((1u << format->index_bits) - 1);
        uint64_t entry = 0; /* x86 is little endian: a 4-byte read fills the low half */
        if (!read(ctx, table + index * format->entry_size, &entry, format->entry_size)) return WALK_READ_FAILED;
        if (!(entry & PTE_PRESENT)) {
            *pf_error_out = error;
            return WALK_NOT_PRESENT;
        }
        bool large = level > 1 && large_page(p, mode, level, entry);
        if (entry & reserved_bits(p, mode, level, large)) {
            *pf_error_out = error | PF_ERROR_PRESENT | PF_ERROR_RESERVED;
            return WALK_RESERVED_BIT;
        }
        if (!(mode == PAGING_PAE && level == 3)) { /* PDPTEs carry no R/W or U/S */
            writable = writable && (entry & PTE_WRITABLE);
            user = user && (entry & PTE_USER);
        }
        no_execute = no_execute || (nx_enabled && (entry & PTE_NO_EXECUTE));
        if (level == 1 || large) {
            phys = page_frame(p, mode, entry, shift) | (linear & ((1ull << shift) - 1));
            break;
        }
        table = entry & bit_range(p->max_phys_addr - 1, 12);
    }

    bool user_access = access & GUEST_ACCESS_USER;
    bool denied = (user_access && !user) ||
        ((access & GUEST_ACCESS_WRITE) && !writable && (user_access || (p->cr0 & CR0_WP))) ||
        ((access & GUEST_ACCESS_FETCH) && no_execute);
    if (denied) {
        *pf_error_out = error | PF_ERROR_PRESENT;
        return WALK_PROTECTION;
    }
    *phys_out = phys;
    return WALK_OK;
}

uint64_t segment_linear(uint64_t base, uint64_t offset, unsigned address_size) {
    uint64_t mask = address_size == 2 ? 0xFFFFu : address_size == 4 ? 0xFFFFFFFFu : ~0ull;
    return base + (offset & mask);
}

/* Translates the range page by page; with a NULL `chunk` it only checks every page. */
static enum walk_result walk_range(const struct guest_paging *p, guest_phys_read_fn read, void *read_ctx,
                                   uint64_t linear, size_t length, unsigned access, guest_chunk_fn chunk,
                                   void *chunk_ctx, uint64_t *fault_linear_out, uint32_t *pf_error_out) {
    uint64_t linear_mask = (p->efer & EFER_LMA) ? ~0ull : 0xFFFFFFFFu;
    uint64_t chunk_gpa = 0;
    size_t chunk_offset = 0, chunk_length = 0, done = 0;
    while (done < length) {
        uint64_t address = (linear + done) & linear_mask;
        size_t in_page = PAGE_SIZE - (address & (PAGE_SIZE - 1));
        if (in_page > length - done) in_page = length - done;
        uint64_t gpa;
        enum walk_result result = guest_linear_to_phys(p, read, read_ctx, address, access, &gpa, pf_error_out);
        if (result != WALK_OK) {
            *fault_linear_out = address;
            return result;
        }
        if (chunk_length > 0 && chunk_gpa + chunk_length == gpa) {
            chunk_length += in_page;
        } else {
            if (chunk_length > 0 && chunk && !chunk(chunk_ctx, chunk_gpa, chunk_offset, chunk_length))
                return WALK_ABORTED;
            chunk_gpa = gpa;
            chunk_offset = done;
            chunk_length = in_page;
        }
        done += in_page;
    }
    if (chunk_length > 0 && chunk && !chunk(chunk_ctx, chunk_gpa, chunk_offset, chunk_length)) return WALK_ABORTED;
    return WALK_OK;
}

enum walk_result guest_linear_chunks(const struct guest_paging *p, guest_phys_read_fn read, void *read_ctx,
                                     uint64_t linear, size_t length, unsigned access, guest_chunk_fn chunk,
                                     void *chunk_ctx, uint64_t *fault_linear_out, uint32_t *pf_error_out) {
    enum walk_result result =
        walk_range(p, read, read_ctx, linear, length, access, NULL, NULL, fault_linear_out, pf_error_out);
    if (result != WALK_OK) return result;
    return walk_range(p, read, read_ctx, linear, length, access, chunk, chunk_ctx, fault_linear_out, pf_error_out);
}
