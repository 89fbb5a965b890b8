/* SPDX-License-Identifier: MIT */
/* What a host test of tables built by mm/pagetable.c (host and nested page tables, EPT) needs:
 * the hypervisor's panic, which aborts the test, and a hand walk of the tables. On the host,
 * "physical" addresses are the test process's addresses (phys_to_virt is a cast). Included by one
 * test program's source only (it defines panic). */
#ifndef PAGETABLE_HOST_H
#define PAGETABLE_HOST_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "boot/layout.h"
#include "console/log.h"
#include "mm/pagetable.h"

#define ADDRESS_MASK 0x000FFFFFFFFFF000ull

void panic(const char *fmt, ...) {
    va_list args;
    va_start(args, fmt);
    vfprintf(stderr, fmt, args);
    va_end(args);
    abort();
}

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
