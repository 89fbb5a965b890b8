/* SPDX-License-Identifier: MIT */
/* What the guest sees of the CPU: SVM hidden in CPUID and EFER, VT-x in CPUID and the feature
 * control MSR, everything else untouched. */
#include "tap.h"
#include "hv/policy.h"

static void svm_bit_cleared_in_extended_features(void) {
    struct cpuid_result r = { 0x1, 0x2, 0xFFFFFFFF, 0x4 };
    cpuid_policy_apply(0x80000001u, 0, &r);
    CHECK_EQ_U64(r.ecx, 0xFFFFFFFBu);
    CHECK_EQ_U64(r.eax, 0x1);
    CHECK_EQ_U64(r.edx, 0x4);
}

static void svm_leaf_reads_as_zero(void) {
    struct cpuid_result r = { 1, 2, 3, 4 };
    cpuid_policy_apply(0x8000000Au, 0, &r);
    CHECK(r.eax == 0 && r.ebx == 0 && r.ecx == 0 && r.edx == 0);
}

static void other_leaves_pass_through(void) {
    const uint32_t leaves[] = { 0, 7, 0x80000000u, 0x80000008u };
    for (unsigned i = 0; i < sizeof leaves / sizeof leaves[0]; i++) {
        struct cpuid_result r = { 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF };
        cpuid_policy_apply(leaves[i], 0, &r);
        CHECK(r.eax == 0xFFFFFFFF && r.ebx == 0xFFFFFFFF && r.ecx == 0xFFFFFFFF && r.edx == 0xFFFFFFFF);
    }
}

static void vmx_hidden_in_features_and_feature_control(void) {
    struct cpuid_result r = { 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF };
    cpuid_policy_apply(1, 0, &r);
    CHECK_EQ_U64(r.ecx, 0xFFFFFFDFu); /* leaf 1 ECX bit 5: VMX */
    CHECK(r.eax == 0xFFFFFFFF && r.ebx == 0xFFFFFFFF && r.edx == 0xFFFFFFFF);
    /* firmware that locked VMX on outside SMX (bits 0 and 2), and one that never locked it */
    CHECK_EQ_U64(feature_control_guest_view(0x5), 0x1);
    CHECK_EQ_U64(feature_control_guest_view(0), 0x1);
    CHECK_EQ_U64(feature_control_guest_view(0xFF07), 0xFF01); /* SENTER and other bits kept */
    CHECK(msr_is_vmx_capability(0x480) && msr_is_vmx_capability(0x48C) && msr_is_vmx_capability(0x491));
    CHECK(!msr_is_vmx_capability(0x47F) && !msr_is_vmx_capability(0x492) && !msr_is_vmx_capability(0x3A));
}

static void efer_svme_hidden_from_reads_and_kept_on_writes(void) {
    CHECK_EQ_U64(efer_guest_view(0x1D01), 0x0D01);
    CHECK_EQ_U64(efer_from_guest_write(0x0D01), 0x1D01);
    CHECK_EQ_U64(efer_from_guest_write(0), 0x1000);
}

static void efer_reserved_bits_are_not_writable(void) {
    CHECK_EQ_U64(efer_writable_bits(0, 0), 0x0501);                              /* SCE, LME, LMA */
    CHECK_EQ_U64(efer_writable_bits(1u << 20, 0), 0x0D01);                       /* + NXE */
    CHECK_EQ_U64(efer_writable_bits((1u << 20) | (1u << 25), 1u << 17), 0xCD01); /* + FFXSR, TCE */
    CHECK(!(efer_writable_bits(0xFFFFFFFF, 0xFFFFFFFF) & (1ull << 12)));         /* never SVME */
    CHECK(!(efer_writable_bits(0xFFFFFFFF, 0xFFFFFFFF) & (1ull << 2)));          /* bit 2: reserved */
}

int main(void) {
    TEST(svm_bit_cleared_in_extended_features);
    TEST(svm_leaf_reads_as_zero);
    TEST(other_leaves_pass_through);
    TEST(vmx_hidden_in_features_and_feature_control);
    TEST(efer_svme_hidden_from_reads_and_kept_on_writes);
    TEST(efer_reserved_bits_are_not_writable);
    return tap_finish();
}
