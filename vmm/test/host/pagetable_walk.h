/* SPDX-License-Identifier: MIT */
/* Host tests' hand walk of tables built by mm/pagetable.c (host and nested page tables, EPT). On
 * the host, "physical" addresses are the test process's addresses (phys_to_virt is a cast). */
#ifndef PAGETABLE_WALK_H
#define PAGETABLE_WALK_H

#include <stdint.h>

#include "boot/layout.h"
#include "mm/pagetable.h"

#define ADDRESS_MASK 0x000FFFFFFFFFF000ull

/* The leaf entry for `va` and its size (2 MiB or 4 KiB); 0 when unmapped. */
static inline uint64_t leaf(uint64_t *pml4, uint64_t va, uint64_t *page_size) {
    uint64_t entry = pml4[(va >> 39) & 511];
    if (!(entry & PT_PRESENT)) return 0;
    entry = ((uint64_t *)phys_to_virt(entry & ADDRESS_MASK))[(va >> 30) & 511];
    if (!(entry & PT_PRESENT)) return 0;
    entry = ((uint64_t *)phys_to_virt(entry & ADDRESS_MASK))[(va >> 21) & 511];
    if (!(entry & PT_PRESENT)) return 0;
    if (entry & PT_LARGE) {
        *page_size = HV_LARGE_PAGE;
        return entry;
    }
    entry = ((uint64_t *)phys_to_virt(entry & ADDRESS_MASK))[(va >> 12) & 511];
    *page_size = PAGE_SIZE;
    return entry;
}

#endif
