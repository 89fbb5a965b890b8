/* SPDX-License-Identifier: MIT */
#include "mm/pagetable.h"

#include "boot/layout.h"
#include "console/log.h"

#define ADDRESS_MASK 0x000FFFFFFFFFF000ull

static uint64_t *next_level(uint64_t *table, unsigned index, struct page_pool *pool, uint64_t flags) {
    if (!(table[index] & PT_PRESENT)) {
        if (!pool) return 0;
        table[index] = pool_virt_to_phys(pool_alloc_pages(pool, 1)) | flags;
    }
    return phys_to_virt(table[index] & ADDRESS_MASK);
}

static uint64_t *directory_for(uint64_t *pml4, struct page_pool *pool, uint64_t va, uint64_t table_flags) {
    uint64_t *pdpt = next_level(pml4, (va >> 39) & 511, pool, table_flags);
    if (!pdpt) return 0;
    return next_level(pdpt, (va >> 30) & 511, pool, table_flags);
}

void pagetable_map_large(uint64_t *pml4, struct page_pool *pool, uint64_t va, uint64_t pa, uint64_t size,
                         uint64_t table_flags, uint64_t leaf_flags) {
    if ((va | pa | size) & (HV_LARGE_PAGE - 1))
        panic("pagetable_map_large: unaligned range va=%lx pa=%lx size=%lx\n", va, pa, size);
    for (uint64_t off = 0; off < size; off += HV_LARGE_PAGE) {
        uint64_t *pd = directory_for(pml4, pool, va + off, table_flags);
        pd[((va + off) >> 21) & 511] = (pa + off) | leaf_flags | PT_LARGE;
    }
}

void pagetable_unmap_large(uint64_t *pml4, uint64_t va, uint64_t size) {
    for (uint64_t off = 0; off < size; off += HV_LARGE_PAGE) {
        uint64_t *pd = directory_for(pml4, 0, va + off, 0);
        if (pd) pd[((va + off) >> 21) & 511] = 0;
    }
}

/* A 2 MiB leaf becomes a table of 512 4 KiB leaves that map the same memory the same way. */
static uint64_t *page_table_for(uint64_t *pd, unsigned index, struct page_pool *pool, uint64_t table_flags) {
    uint64_t entry = pd[index];
    if ((entry & PT_PRESENT) && !(entry & PT_LARGE)) return phys_to_virt(entry & ADDRESS_MASK);
    uint64_t *pt = pool_alloc_pages(pool, 1);
    if (entry & PT_PRESENT) {
        uint64_t base = entry & ADDRESS_MASK & ~(HV_LARGE_PAGE - 1);
        uint64_t flags = entry & 0xFFF & ~PT_LARGE;
        for (unsigned i = 0; i < 512; i++) pt[i] = (base + (uint64_t)i * PAGE_SIZE) | flags;
    }
    pd[index] = pool_virt_to_phys(pt) | table_flags;
    return pt;
}

void pagetable_map_page(uint64_t *pml4, struct page_pool *pool, uint64_t va, uint64_t pa, uint64_t table_flags,
                        uint64_t leaf_flags) {
    if ((va | pa) & (PAGE_SIZE - 1)) panic("pagetable_map_page: unaligned va=%lx pa=%lx\n", va, pa);
    uint64_t *pd = directory_for(pml4, pool, va, table_flags);
    uint64_t *pt = page_table_for(pd, (va >> 21) & 511, pool, table_flags);
    pt[(va >> 12) & 511] = pa | leaf_flags;
}
