/* SPDX-License-Identifier: MIT */
/* Nested page tables: guest-physical == host-physical for all memory and devices, except the
 * hypervisor's own region, which is left unmapped (a guest access exits with #NPF). */
#ifndef MM_NPT_H
#define MM_NPT_H

#include <stdint.h>

/* Returns the physical address of the nested PML4 (for the VMCB's N_CR3). */
uint64_t npt_build_identity(void);

/* Makes the guest page at `gpa` show the host page at `hpa`, read-only: a guest write exits
 * with #NPF. Only before the guest first runs (no TLB flush follows). */
void npt_map_read_only(uint64_t gpa, uint64_t hpa);

#endif
