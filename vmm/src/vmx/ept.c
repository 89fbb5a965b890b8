/* SPDX-License-Identifier: MIT */
#include "vmx/ept.h"

#include "boot/layout.h"
#include "mm/pagetable.h"

#define ALL_ACCESS (EPT_READ | EPT_WRITE | EPT_EXECUTE)

static uint64_t leaf_flags(uint64_t access, int memory_type) {
    return access | (uint64_t)memory_type << EPT_MEMORY_TYPE_SHIFT;
}

uint64_t *ept_build_identity(struct page_pool *pool, const struct ept_layout *layout) {
    uint64_t *pml4 = pool_alloc_pages(pool, 1);
    uint64_t hidden_end = layout->hidden_base + layout->hidden_size;
    for (uint64_t gpa = 0; gpa < layout->identity_limit; gpa += HV_LARGE_PAGE) {
        if (gpa >= layout->hidden_base && gpa < hidden_end) continue;
        int type = mtrr_range_type(layout->mtrrs, gpa, HV_LARGE_PAGE);
        if (type != MTRR_TYPE_MIXED) {
            pagetable_map_large(pml4, pool, gpa, gpa, HV_LARGE_PAGE, EPT_TABLE_FLAGS, leaf_flags(ALL_ACCESS, type));
            continue;
        }
        for (uint64_t page = gpa; page < gpa + HV_LARGE_PAGE; page += PAGE_SIZE)
            pagetable_map_page(pml4, pool, page, page, EPT_TABLE_FLAGS,
                               leaf_flags(ALL_ACCESS, mtrr_range_type(layout->mtrrs, page, PAGE_SIZE)));
    }
    return pml4;
}

void ept_map_read_only(uint64_t *pml4, struct page_pool *pool, const struct mtrr_state *mtrrs, uint64_t gpa,
                       uint64_t hpa) {
    pagetable_map_page(pml4, pool, gpa, hpa, EPT_TABLE_FLAGS,
                       leaf_flags(EPT_READ, mtrr_range_type(mtrrs, gpa, PAGE_SIZE)));
}
