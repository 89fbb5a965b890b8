/* SPDX-License-Identifier: MIT */
/* Physical pages for the hypervisor's own use (page tables, VMCB, I/O buffers), handed out
 * from its reserved region. Nothing is ever freed: the hypervisor allocates once at start. */
#ifndef MM_PAGES_H
#define MM_PAGES_H

#include <stdint.h>

#define PAGE_SIZE 4096u

struct page_pool {
    uint64_t next_pa;
    uint64_t end_pa;
};

/* The pool the running hypervisor allocates from (set up after relocation). */
extern struct page_pool hv_pages;

/* Returns `count` zeroed, physically contiguous pages, or panics when the region is exhausted
 * (then vmm_mem= is too small). The result is usable as a pointer: low physical memory is
 * identity-mapped. */
void *pool_alloc_pages(struct page_pool *pool, unsigned count);

static inline void *phys_to_virt(uint64_t pa) { return (void *)(uintptr_t)pa; }
static inline uint64_t pool_virt_to_phys(const void *p) { return (uint64_t)(uintptr_t)p; }

#endif
