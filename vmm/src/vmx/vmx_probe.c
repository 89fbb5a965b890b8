/* SPDX-License-Identifier: MIT */
#include "vmx/vmx_probe.h"

#include "console/log.h"
#include "vmx/vmcs_setup.h"
#include "x86/cpu.h"

#define CPUID_1_ECX_VMX (1u << 5)

static uint64_t allowed_one(uint64_t capability) { return capability >> 32; }

static void read_capabilities(struct vmx_capabilities *c) {
    c->feature_control = rdmsr(MSR_IA32_FEATURE_CONTROL);
    c->basic = rdmsr(MSR_IA32_VMX_BASIC);
    bool true_controls = vmx_true_controls(c->basic);
    c->pinbased = rdmsr(true_controls ? MSR_IA32_VMX_TRUE_PINBASED_CTLS : MSR_IA32_VMX_PINBASED_CTLS);
    c->procbased = rdmsr(true_controls ? MSR_IA32_VMX_TRUE_PROCBASED_CTLS : MSR_IA32_VMX_PROCBASED_CTLS);
    c->exit = rdmsr(true_controls ? MSR_IA32_VMX_TRUE_EXIT_CTLS : MSR_IA32_VMX_EXIT_CTLS);
    c->entry = rdmsr(true_controls ? MSR_IA32_VMX_TRUE_ENTRY_CTLS : MSR_IA32_VMX_ENTRY_CTLS);
    /* the secondary controls' MSR exists only where the primary ones may enable them */
    c->procbased2 = allowed_one(c->procbased) & VMX_PROC_SECONDARY_CONTROLS ? rdmsr(MSR_IA32_VMX_PROCBASED_CTLS2) : 0;
    c->ept_vpid = allowed_one(c->procbased2) & VMX_PROC2_ENABLE_EPT ? rdmsr(MSR_IA32_VMX_EPT_VPID_CAP) : 0;
    c->cr0_fixed0 = rdmsr(MSR_IA32_VMX_CR0_FIXED0);
    c->cr0_fixed1 = rdmsr(MSR_IA32_VMX_CR0_FIXED1);
    c->cr4_fixed0 = rdmsr(MSR_IA32_VMX_CR4_FIXED0);
    c->cr4_fixed1 = rdmsr(MSR_IA32_VMX_CR4_FIXED1);
}

const char *vmx_probe(void) {
    if (!(cpuid(1, 0).ecx & CPUID_1_ECX_VMX))
        return "this Intel CPU has no VT-x (CPUID leaf 1 ECX bit 5), or the firmware hides it";
    struct vmx_capabilities caps;
    read_capabilities(&caps);
    log_printf("VT-x: feature control %lx basic %lx pin %lx proc %lx proc2 %lx exit %lx entry %lx ept/vpid %lx\n",
               caps.feature_control, caps.basic, caps.pinbased, caps.procbased, caps.procbased2, caps.exit, caps.entry,
               caps.ept_vpid);
    log_printf("VT-x: cr0 fixed %lx/%lx cr4 fixed %lx/%lx\n", caps.cr0_fixed0, caps.cr0_fixed1, caps.cr4_fixed0,
               caps.cr4_fixed1);
    /* the controls are judged as the set-up would write them; the host state does not matter here */
    static struct vmcs_setup setup;
    static const struct vmx_host_state host;
    static const struct vmx_structures structures;
    static const struct guest_start start;
    const char *refused = vmcs_initial_setup(&caps, &host, &structures, &start, &setup);
    if (refused) return refused;
    uint64_t proc2 = 0;
    vmcs_setup_value(&setup, VMCS_PROC2_CONTROLS, &proc2);
    log_printf("VT-x: the VMCS set-up is accepted (%u fields, secondary controls %lx)\n", setup.count, proc2);
    return 0;
}
