/* SPDX-License-Identifier: MIT */
/* Four-level x86-64 page tables built with 2 MiB pages, split into 4 KiB pages where one page
 * must differ: the host's own tables and the nested page tables share this code (they differ
 * only in entry flags). */
#ifndef MM_PAGETABLE_H
#define MM_PAGETABLE_H

#include <stdint.h>

#include "mm/pages.h"

#define PT_PRESENT (1ull << 0)
#define PT_WRITE (1ull << 1)
#define PT_USER (1ull << 2)
#define PT_LARGE (1ull << 7)

/* Maps [va, va + size) to [pa, pa + size) with 2 MiB pages; all three must be 2 MiB aligned.
 * Intermediate tables come from `pool` and get `table_flags`; leaf entries get `leaf_flags`. */
void pagetable_map_large(uint64_t *pml4, struct page_pool *pool, uint64_t va, uint64_t pa, uint64_t size,
                         uint64_t table_flags, uint64_t leaf_flags);

/* Removes the 2 MiB mappings covering [va, va + size) (aligned): later accesses fault. */
void pagetable_unmap_large(uint64_t *pml4, uint64_t va, uint64_t size);

/* Maps the 4 KiB page at `va` to `pa` (both aligned) with `leaf_flags`. A 2 MiB page covering
 * `va` is first split into 512 small ones that keep its mapping and flags. */
void pagetable_map_page(uint64_t *pml4, struct page_pool *pool, uint64_t va, uint64_t pa, uint64_t table_flags,
                        uint64_t leaf_flags);

#endif
