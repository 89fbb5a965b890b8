/* SPDX-License-Identifier: MIT */
#include "vmx/vmx_caps.h"

bool vmx_control_value(uint64_t capability, uint32_t wanted, uint32_t *value) {
    uint32_t must_be_one = (uint32_t)capability;
    uint32_t may_be_one = (uint32_t)(capability >> 32);
    if (wanted & ~may_be_one) return false;
    *value = (wanted | must_be_one) & may_be_one;
    return true;
}

static bool allows(uint64_t capability, uint32_t control) { return (uint32_t)(capability >> 32) & control; }

const char *vmx_unsupported_reason(const struct vmx_capabilities *c) {
    if ((c->feature_control & FEATURE_CONTROL_LOCKED) && !(c->feature_control & FEATURE_CONTROL_VMX_OUTSIDE_SMX))
        return "VT-x is disabled by the firmware (IA32_FEATURE_CONTROL locked without VMX): "
               "enable Intel Virtualization Technology in the BIOS setup";
    if ((c->basic >> VMX_BASIC_MEMORY_TYPE_SHIFT & 0xF) != VMX_MEMORY_TYPE_WB)
        return "this CPU's VMCS must be accessed uncached (IA32_VMX_BASIC memory type), which the hypervisor does not do";
    if (!allows(c->procbased, VMX_PROC_SECONDARY_CONTROLS) || !allows(c->procbased2, VMX_PROC2_ENABLE_EPT))
        return "this CPU's VT-x has no EPT (extended page tables; Nehalem and later have it): "
               "the hypervisor maps guest memory with EPT";
    if (!allows(c->procbased2, VMX_PROC2_UNRESTRICTED_GUEST))
        return "this CPU's VT-x has no unrestricted guest (Westmere and later have it): "
               "the hypervisor starts the guest in real mode, as the BIOS left it";
    if (!(c->ept_vpid & VMX_EPT_PAGE_WALK_4) || !(c->ept_vpid & VMX_EPT_MEMORY_TYPE_WB))
        return "this CPU's EPT lacks 4-level tables or write-back paging structures (IA32_VMX_EPT_VPID_CAP)";
    if (!allows(c->procbased, VMX_PROC_USE_IO_BITMAPS) || !allows(c->procbased, VMX_PROC_USE_MSR_BITMAPS))
        return "this CPU's VT-x has no I/O or MSR bitmaps, which the hypervisor needs to trap only the disk's ports";
    return 0;
}

uint64_t vmx_fixed_cr0(const struct vmx_capabilities *c, uint64_t cr0, bool unrestricted_guest) {
    uint64_t must_be_one = c->cr0_fixed0;
    if (unrestricted_guest) must_be_one &= ~(CR0_PE | CR0_PG);
    return (cr0 | must_be_one) & c->cr0_fixed1;
}

uint64_t vmx_fixed_cr4(const struct vmx_capabilities *c, uint64_t cr4) { return (cr4 | c->cr4_fixed0) & c->cr4_fixed1; }
