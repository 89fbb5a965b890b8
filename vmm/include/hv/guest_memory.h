/* SPDX-License-Identifier: MIT */
/* Reading and writing guest memory from exit handlers. Guest-physical equals host-physical
 * (identity nested paging), except the hypervisor's own region, which the guest never sees. */
#ifndef HV_GUEST_MEMORY_H
#define HV_GUEST_MEMORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hv/cpu_backend.h"

/* False when the range is not guest memory (the hypervisor's region, or beyond RAM). */
bool guest_phys_read(uint64_t gpa, void *buf, size_t len);
bool guest_phys_write(uint64_t gpa, const void *buf, size_t len);

/* Through the guest's own page tables, in whatever mode the guest is in. False on a guest page
 * fault or a non-guest physical address. */
bool guest_linear_read(const struct vcpu *v, uint64_t linear, void *buf, size_t len);
bool guest_linear_write(const struct vcpu *v, uint64_t linear, const void *buf, size_t len);

/* Why a linear range stops being reachable (guest_linear_reachable). */
struct guest_fault {
    bool page_fault; /* the guest's page tables refuse it: the CPU would raise #PF ... */
    uint64_t linear; /* ... at this address (CR2) ... */
    uint32_t error;  /* ... with this error code. False: a non-guest physical address. */
};

/* How many bytes from `linear` (up to `len`) the guest could access as a write or a read;
 * below `len`, *fault says why the next byte is not reachable. */
size_t guest_linear_reachable(const struct vcpu *v, uint64_t linear, size_t len, bool write, struct guest_fault *fault);

/* Fetches and decodes the instruction at CS:RIP (TCG supplies no instruction bytes). */
bool guest_fetch_insn(const struct vcpu *v, struct insn *out);

#endif
