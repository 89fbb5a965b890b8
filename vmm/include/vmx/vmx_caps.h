/* SPDX-License-Identifier: MIT */
/* Intel VT-x: what a CPU's VMX capability MSRs allow, as pure functions (issue 22, the first part
 * of a VMX backend behind hv/cpu_backend.h). The backend reads the MSRs; these decide from their
 * values which controls it may set and whether the CPU can run the hypervisor at all: it needs
 * EPT (guest memory mapped 1:1 minus the hypervisor, as SVM's nested paging) and unrestricted
 * guest (the guest starts in real mode, as after the BIOS). Numbers from the Intel SDM vol. 3,
 * appendix A. */
#ifndef VMX_VMX_CAPS_H
#define VMX_VMX_CAPS_H

#include <stdbool.h>
#include <stdint.h>

#include "vmx/vmcs.h"

#define MSR_IA32_FEATURE_CONTROL 0x03Au
#define MSR_IA32_VMX_BASIC 0x480u
#define MSR_IA32_VMX_PINBASED_CTLS 0x481u
#define MSR_IA32_VMX_PROCBASED_CTLS 0x482u
#define MSR_IA32_VMX_EXIT_CTLS 0x483u
#define MSR_IA32_VMX_ENTRY_CTLS 0x484u
#define MSR_IA32_VMX_CR0_FIXED0 0x486u
#define MSR_IA32_VMX_CR0_FIXED1 0x487u
#define MSR_IA32_VMX_CR4_FIXED0 0x488u
#define MSR_IA32_VMX_CR4_FIXED1 0x489u
#define MSR_IA32_VMX_PROCBASED_CTLS2 0x48Bu
#define MSR_IA32_VMX_EPT_VPID_CAP 0x48Cu
/* The TRUE_* forms (IA32_VMX_BASIC bit 55) report which default-1 controls may be 0. */
#define MSR_IA32_VMX_TRUE_PINBASED_CTLS 0x48Du
#define MSR_IA32_VMX_TRUE_PROCBASED_CTLS 0x48Eu
#define MSR_IA32_VMX_TRUE_EXIT_CTLS 0x48Fu
#define MSR_IA32_VMX_TRUE_ENTRY_CTLS 0x490u

#define FEATURE_CONTROL_LOCKED (1ull << 0)
#define FEATURE_CONTROL_VMX_OUTSIDE_SMX (1ull << 2)

#define VMX_BASIC_REVISION_MASK 0x7FFFFFFFull
#define VMX_BASIC_REGION_SIZE_SHIFT 32 /* bits 44:32: bytes of the VMXON region and of a VMCS */
#define VMX_BASIC_MEMORY_TYPE_SHIFT 50 /* bits 53:50: 6 = write-back */
#define VMX_BASIC_IO_INSTRUCTION_INFO (1ull << 54)
#define VMX_BASIC_TRUE_CONTROLS (1ull << 55)
#define VMX_MEMORY_TYPE_WB 6u

/* IA32_VMX_EPT_VPID_CAP. */
#define VMX_EPT_PAGE_WALK_4 (1ull << 6)
#define VMX_EPT_MEMORY_TYPE_WB (1ull << 14)

#define CR0_PE (1ull << 0)
#define CR0_PG (1ull << 31)

/* The capability MSRs' values. `pinbased` ... `entry` are the TRUE_* forms where the CPU has them
 * (vmx_true_controls); `procbased2` and `ept_vpid` are 0 where the CPU lacks them. */
struct vmx_capabilities {
    uint64_t feature_control;
    uint64_t basic;
    uint64_t pinbased, procbased, procbased2, exit, entry;
    uint64_t ept_vpid;
    uint64_t cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
};

/* Whether the CPU has the TRUE_* control MSRs (read those instead of the plain ones). */
static inline bool vmx_true_controls(uint64_t basic) { return basic & VMX_BASIC_TRUE_CONTROLS; }

/* A VM-execution, exit or entry control field from what the hypervisor wants in it and the
 * capability MSR's allowed settings (bits 31:0: set here means the control must be 1; bits 63:32:
 * clear here means it must be 0). False, with *value untouched, when a wanted control may not be
 * set. */
bool vmx_control_value(uint64_t capability, uint32_t wanted, uint32_t *value);

/* NULL when the CPU can run the hypervisor, else a sentence saying what it lacks and what to do. */
const char *vmx_unsupported_reason(const struct vmx_capabilities *caps);

/* A guest CR0 or CR4 value as VMX requires it (FIXED0 bits set, FIXED1-clear bits cleared). With
 * unrestricted guest, CR0.PE and CR0.PG may be 0: the guest starts in real mode without paging. */
uint64_t vmx_fixed_cr0(const struct vmx_capabilities *caps, uint64_t cr0, bool unrestricted_guest);
uint64_t vmx_fixed_cr4(const struct vmx_capabilities *caps, uint64_t cr4);

#endif
