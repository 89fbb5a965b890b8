/* SPDX-License-Identifier: MIT */
#include "hv/policy.h"

#define LEAF_FEATURES 1u
#define ECX_VMX (1u << 5)
#define LEAF_EXT_FEATURES 0x80000001u
#define LEAF_SVM 0x8000000Au
#define ECX_SVM (1u << 2)
#define EFER_SCE (1ull << 0)
#define EFER_LME (1ull << 8)
#define EFER_LMA (1ull << 10)
#define EFER_NXE (1ull << 11)
#define EFER_SVME (1ull << 12)
#define EFER_FFXSR (1ull << 14)
#define EFER_TCE (1ull << 15)
#define EDX_NX (1u << 20)
#define EDX_FFXSR (1u << 25)
#define ECX_TCE (1u << 17)

void cpuid_policy_apply(uint32_t leaf, uint32_t subleaf, struct cpuid_result *r) {
    (void)subleaf;
    if (leaf == LEAF_FEATURES) {
        r->ecx &= ~ECX_VMX; /* 0 on AMD CPUs already */
    } else if (leaf == LEAF_EXT_FEATURES) {
        r->ecx &= ~ECX_SVM;
    } else if (leaf == LEAF_SVM) {
        r->eax = r->ebx = r->ecx = r->edx = 0;
    }
}

uint64_t efer_guest_view(uint64_t real_efer) { return real_efer & ~EFER_SVME; }

/* VMRUN refuses a guest EFER without SVME, so it stays set underneath whatever the guest writes. */
uint64_t efer_from_guest_write(uint64_t written) { return written | EFER_SVME; }

uint64_t efer_writable_bits(uint32_t ext_features_edx, uint32_t ext_features_ecx) {
    uint64_t bits = EFER_SCE | EFER_LME | EFER_LMA;
    if (ext_features_edx & EDX_NX) bits |= EFER_NXE;
    if (ext_features_edx & EDX_FFXSR) bits |= EFER_FFXSR;
    if (ext_features_ecx & ECX_TCE) bits |= EFER_TCE;
    return bits;
}

#define FEATURE_CONTROL_LOCKED (1ull << 0)
#define FEATURE_CONTROL_VMX_INSIDE_SMX (1ull << 1)
#define FEATURE_CONTROL_VMX_OUTSIDE_SMX (1ull << 2)
#define MSR_VMX_BASIC 0x480u
#define MSR_VMX_VMFUNC 0x491u

uint64_t feature_control_guest_view(uint64_t real) {
    return (real | FEATURE_CONTROL_LOCKED) & ~(FEATURE_CONTROL_VMX_INSIDE_SMX | FEATURE_CONTROL_VMX_OUTSIDE_SMX);
}

bool msr_is_vmx_capability(uint32_t msr) { return msr >= MSR_VMX_BASIC && msr <= MSR_VMX_VMFUNC; }
