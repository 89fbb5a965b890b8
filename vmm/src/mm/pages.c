/* SPDX-License-Identifier: MIT */
#include "mm/pages.h"

#include "console/log.h"
#include "lib/string.h"

struct page_pool hv_pages;

void *pool_alloc_pages(struct page_pool *pool, unsigned count) {
    uint64_t size = (uint64_t)count * PAGE_SIZE;
    if (pool->next_pa + size > pool->end_pa)
        panic("out of hypervisor memory (%u pages wanted): raise vmm_mem=\n", count);
    void *p = phys_to_virt(pool->next_pa);
    pool->next_pa += size;
    memset(p, 0, size);
    return p;
}
