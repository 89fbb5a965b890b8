/* SPDX-License-Identifier: MIT */
#include "mm/npt.h"

#include "mm/hv_region.h"
#include "mm/pagetable.h"

/* Nested walks count every guest access as a user access, so every level needs U. */
#define NPT_TABLE_FLAGS (PT_PRESENT | PT_WRITE | PT_USER)

static uint64_t *npt_pml4;

uint64_t npt_build_identity(void) {
    npt_pml4 = pool_alloc_pages(&hv_pages, 1);
    pagetable_map_large(npt_pml4, &hv_pages, 0, 0, hv_region.identity_limit, NPT_TABLE_FLAGS, NPT_TABLE_FLAGS);
    pagetable_unmap_large(npt_pml4, hv_region.base, hv_region.size);
    return pool_virt_to_phys(npt_pml4);
}

void npt_map_read_only(uint64_t gpa, uint64_t hpa) {
    pagetable_map_page(npt_pml4, &hv_pages, gpa, hpa, NPT_TABLE_FLAGS, PT_PRESENT | PT_USER);
}
