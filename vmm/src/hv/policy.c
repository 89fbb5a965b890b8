/* SPDX-License-Identifier: MIT */
#include "hv/policy.h"

#define LEAF_EXT_FEATURES 0x80000001u
#define LEAF_SVM 0x8000000Au
#define ECX_SVM (1u << 2)
#define EFER_SVME (1ull << 12)

void cpuid_policy_apply(uint32_t leaf, uint32_t subleaf, struct cpuid_result *r) {
    (void)subleaf;
    if (leaf == LEAF_EXT_FEATURES) {
        r->ecx &= ~ECX_SVM;
    } else if (leaf == LEAF_SVM) {
        r->eax = r->ebx = r->ecx = r->edx = 0;
    }
}

uint64_t efer_guest_view(uint64_t real_efer) { return real_efer & ~EFER_SVME; }

/* VMRUN refuses a guest EFER without SVME, so it stays set underneath whatever the guest writes. */
uint64_t efer_from_guest_write(uint64_t written) { return written | EFER_SVME; }
