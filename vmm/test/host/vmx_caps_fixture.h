/* SPDX-License-Identifier: MIT */
/* The host tests' VT-x CPU: capability MSR values of a made-up CPU that has everything the
 * hypervisor needs (vmx_caps_test, vmcs_setup_test). */
#ifndef VMX_CAPS_FIXTURE_H
#define VMX_CAPS_FIXTURE_H

#include "vmx/vmx_caps.h"

/* A control MSR: `must` bits must be 1, only `may` bits may be 1. */
static uint64_t control(uint32_t must, uint32_t may) { return (uint64_t)may << 32 | must; }

/* A made-up CPU with everything the hypervisor needs (not read from a real one); its control MSRs
 * are the TRUE_* forms: the must-be-1 bits 0x16 and 0x4006172 are the SDM's default-1 classes of
 * the pin- and processor-based fields less CR3-load and CR3-store exiting, which those let be 0. */
static struct vmx_capabilities capable_cpu(void) {
    return (struct vmx_capabilities){
        .feature_control = FEATURE_CONTROL_LOCKED | FEATURE_CONTROL_VMX_OUTSIDE_SMX,
        .basic = (uint64_t)VMX_MEMORY_TYPE_WB << VMX_BASIC_MEMORY_TYPE_SHIFT | VMX_BASIC_IO_INSTRUCTION_INFO |
            VMX_BASIC_TRUE_CONTROLS | 0x1000ull << VMX_BASIC_REGION_SIZE_SHIFT | 0x12,
        .pinbased = control(0x16, 0x7F),
        .procbased = control(0x04006172u, 0xFFF9FFFEu),
        .procbased2 = control(0, 0x000000FFu),
        .exit = control(0x00036DFFu, 0x007FFFFFu),
        .entry = control(0x000011FFu, 0x0000FFFFu),
        .ept_vpid = VMX_EPT_PAGE_WALK_4 | VMX_EPT_MEMORY_TYPE_WB,
        .cr0_fixed0 = 0x80000021u, /* PG, NE, PE */
        .cr0_fixed1 = 0xFFFFFFFFu,
        .cr4_fixed0 = 0x2000u, /* VMXE */
        .cr4_fixed1 = 0x3727FFu,
    };
}

#endif
