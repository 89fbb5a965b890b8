/* SPDX-License-Identifier: MIT */
#include "boot/boot.h"

#include "boot/layout.h"
#include "lib/string.h"
#include "mm/hv_region.h"
#include "mm/pagetable.h"

extern const char __image_start[];

/* Where a global of the image lives in the relocated copy (reached through the identity map). */
static void *in_relocated_copy(const void *p) {
    return (void *)(uintptr_t)(hv_region.base + ((uintptr_t)p - HV_VIRT_BASE));
}

void relocate_and_continue(void (*continuation)(void)) {
    /* Everything the copy needs must be in globals before this memcpy: writes after it land in
     * the old copy, which the guest will overwrite. */
    memcpy(phys_to_virt(hv_region.base), __image_start, hv_region.image_size);

    struct page_pool pool = {
        .next_pa = hv_region.base + ((hv_region.image_size + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1)),
        .end_pa = hv_region.base + hv_region.size,
    };
    uint64_t *pml4 = pool_alloc_pages(&pool, 1);
    uint64_t flags = PT_PRESENT | PT_WRITE;
    pagetable_map_large(pml4, &pool, 0, 0, hv_region.identity_limit, flags, flags);
    pagetable_map_large(pml4, &pool, HV_VIRT_BASE, hv_region.base, hv_region.size, flags, flags);

    *(struct page_pool *)in_relocated_copy(&hv_pages) = pool;
    switch_to_relocated_image(pool_virt_to_phys(pml4), continuation);
}
