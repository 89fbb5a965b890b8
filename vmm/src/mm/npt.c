/* SPDX-License-Identifier: MIT */
#include "mm/npt.h"

#include "mm/hv_region.h"
#include "mm/pagetable.h"

uint64_t npt_build_identity(void) {
    uint64_t *pml4 = pool_alloc_pages(&hv_pages, 1);
    /* Nested walks count every guest access as a user access, so every level needs U. */
    uint64_t flags = PT_PRESENT | PT_WRITE | PT_USER;
    pagetable_map_large(pml4, &hv_pages, 0, 0, hv_region.identity_limit, flags, flags);
    pagetable_unmap_large(pml4, hv_region.base, hv_region.size);
    return pool_virt_to_phys(pml4);
}
