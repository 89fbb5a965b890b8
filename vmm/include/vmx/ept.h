/* SPDX-License-Identifier: MIT */
/* Extended page tables for the VT-x backend: guest-physical == host-physical, as SVM's nested
 * page tables (mm/npt.h), minus the hypervisor's own region. Unlike nested paging, EPT makes the
 * CPU ignore the MTRRs for guest accesses, so each leaf carries the type the firmware's MTRRs
 * give its range (x86/mtrr.h): 2 MiB pages where a range has one type, 4 KiB pages where it
 * does not (the first MiB, MTRR edges). The entries share mm/pagetable.c with the other tables:
 * an EPT entry's read bit sits where a page table's present bit does, and every entry built
 * here is readable. */
#ifndef VMX_EPT_H
#define VMX_EPT_H

#include <stdint.h>

#include "mm/pages.h"
#include "x86/mtrr.h"

#define EPT_READ (1ull << 0)
#define EPT_WRITE (1ull << 1)
#define EPT_EXECUTE (1ull << 2)
#define EPT_MEMORY_TYPE_SHIFT 3 /* leaves only */
#define EPT_TABLE_FLAGS (EPT_READ | EPT_WRITE | EPT_EXECUTE)

/* EPTP: write-back paging structures, a 4-level walk, no accessed/dirty flags. */
#define EPTP_MEMORY_TYPE_WB 6ull
#define EPTP_WALK_LENGTH_4 (3ull << 3)

struct ept_layout {
    uint64_t identity_limit;           /* guest-physical addresses below this are mapped 1:1; 2 MiB aligned */
    uint64_t hidden_base, hidden_size; /* the hypervisor's region, left unmapped; 2 MiB aligned */
    const struct mtrr_state *mtrrs;    /* the firmware's memory types */
};

/* Builds the tables from `pool` and returns their PML4. */
uint64_t *ept_build_identity(struct page_pool *pool, const struct ept_layout *layout);

/* Makes the guest page at `gpa` show the host page at `hpa`, read-only (a guest write exits with
 * an EPT violation), keeping the page's memory type. Only before the guest first runs. */
void ept_map_read_only(uint64_t *pml4, struct page_pool *pool, const struct mtrr_state *mtrrs, uint64_t gpa,
                       uint64_t hpa);

/* The VMCS's EPT pointer for tables rooted at `pml4_pa`. */
static inline uint64_t ept_pointer(uint64_t pml4_pa) { return pml4_pa | EPTP_WALK_LENGTH_4 | EPTP_MEMORY_TYPE_WB; }

#endif
