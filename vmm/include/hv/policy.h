/* SPDX-License-Identifier: MIT */
/* What the guest is shown of the CPU: everything as it is, except the virtualisation extensions
 * the hypervisor uses, SVM or VT-x (the paper's transparency limit: none for the guest). Pure,
 * host-tested. */
#ifndef HV_POLICY_H
#define HV_POLICY_H

#include <stdbool.h>
#include <stdint.h>

struct cpuid_result {
    uint32_t eax, ebx, ecx, edx;
};

void cpuid_policy_apply(uint32_t leaf, uint32_t subleaf, struct cpuid_result *r);

/* EFER as the guest should read it, from the EFER the CPU runs it with. */
uint64_t efer_guest_view(uint64_t real_efer);
/* EFER to run the guest with after it writes `written`. */
uint64_t efer_from_guest_write(uint64_t written);
/* The EFER bits a guest may set on this CPU, from CPUID 8000_0001h EDX/ECX: SCE, LME, LMA, and NXE,
 * FFXSR, TCE where the CPU has them; never SVME (the guest is told there is no SVM). A write
 * with any other bit set is answered with #GP, as a CPU answers a reserved bit. */
uint64_t efer_writable_bits(uint32_t ext_features_edx, uint32_t ext_features_ecx);

/* IA32_FEATURE_CONTROL (3Ah) as the guest reads it on an Intel CPU: locked with VMX off inside
 * and outside SMX, as firmware that disabled VT-x leaves it, so the guest neither uses VMX nor
 * tries to turn it on (a write to the locked MSR is #GP). */
uint64_t feature_control_guest_view(uint64_t real_feature_control);
/* The VMX capability MSRs (480h-491h), which a CPU without VMX answers with #GP. */
bool msr_is_vmx_capability(uint32_t msr);

#endif
