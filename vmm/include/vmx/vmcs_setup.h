/* SPDX-License-Identifier: MIT */
/* The VMCS's first contents for the one virtual CPU (issue 22): the guest in real mode as the BIOS
 * left it (as SVM's VMCB in src/svm/vcpu_svm.c), the controls the hypervisor needs checked against
 * the capability MSRs, and the host state VM exits return to. Computed as a list of (field,
 * value) pairs, so that the host tests can read it against the SDM's VM-entry rules; the backend
 * writes each pair with VMWRITE. Pure: the caller reads the capability MSRs and the host's state. */
#ifndef VMX_VMCS_SETUP_H
#define VMX_VMCS_SETUP_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/cpu_backend.h"
#include "vmx/vmx_caps.h"

struct vmcs_field_value {
    uint32_t field;
    uint64_t value;
};

/* What VM exits return to: the hypervisor's own state as it runs (64-bit, paging on). */
struct vmx_host_state {
    uint64_t cr0, cr3, cr4, efer, pat;
    uint16_t cs, ss, ds, es, fs, gs, tr;
    uint64_t fs_base, gs_base, tr_base, gdtr_base, idtr_base;
    uint64_t rsp, rip; /* the exit path's stack and entry point */
};

/* Where the backend put what the VMCS points to (host-physical addresses). */
struct vmx_structures {
    uint64_t io_bitmap_a_pa, io_bitmap_b_pa; /* 4 KiB each: ports 0000h-7FFFh, 8000h-FFFFh */
    uint64_t msr_bitmap_pa;                  /* 4 KiB */
};

#define VMCS_SETUP_MAX_FIELDS 100u
struct vmcs_setup {
    unsigned count;
    struct vmcs_field_value fields[VMCS_SETUP_MAX_FIELDS];
};

/* The guest's view of CR0 at its start (ET only: real mode, no paging), as on SVM. */
#define VMX_GUEST_START_CR0 0x10ull

/* Fills `out` and returns NULL, or returns a sentence naming the control this CPU refuses.
 * `start->npt_root_pa` is the EPT PML4 (vmx/ept.h). */
const char *vmcs_initial_setup(const struct vmx_capabilities *caps, const struct vmx_host_state *host,
                               const struct vmx_structures *structures, const struct guest_start *start,
                               struct vmcs_setup *out);

/* The value `setup` gives `field`; false where it gives none. */
bool vmcs_setup_value(const struct vmcs_setup *setup, uint32_t field, uint64_t *value);

#endif
