/* SPDX-License-Identifier: MIT */
/* The #VMEXIT dispatch table: each intercepted exit code reaches its own handler, codes the
 * hypervisor never intercepts find none. The handlers here only record that they ran. */
#include <string.h>

#include "tap.h"
#include "svm/exit_handlers.h"
#include "svm/exits.h"
#include "svm/vmcb.h"

static const char *called;
void svm_exit_intr(struct vcpu *v) {
    (void)v;
    called = "intr";
}
void svm_exit_hlt(struct vcpu *v) {
    (void)v;
    called = "hlt";
}
void svm_exit_cpuid(struct vcpu *v) {
    (void)v;
    called = "cpuid";
}
void svm_exit_msr(struct vcpu *v) {
    (void)v;
    called = "msr";
}
void svm_exit_ioio(struct vcpu *v) {
    (void)v;
    called = "ioio";
}
void svm_exit_vmmcall(struct vcpu *v) {
    (void)v;
    called = "vmmcall";
}
void svm_exit_shutdown(struct vcpu *v) {
    (void)v;
    called = "shutdown";
}
void svm_exit_npf(struct vcpu *v) {
    (void)v;
    called = "npf";
}
void svm_exit_svm_instruction(struct vcpu *v) {
    (void)v;
    called = "svm-instruction";
}

static void dispatch(uint64_t code, const char *expected_handler, const char *expected_name) {
    const struct svm_exit_kind *kind = svm_exit_lookup(code);
    CHECK(kind != 0);
    if (!kind) return;
    called = 0;
    kind->handle(0);
    CHECK(called && !strcmp(called, expected_handler));
    CHECK(!strcmp(kind->name, expected_name));
}

static void intercepted_exits_reach_their_handlers(void) {
    dispatch(SVM_EXIT_INTR, "intr", "intr"); /* while background work runs */
    dispatch(SVM_EXIT_HLT, "hlt", "hlt");
    dispatch(SVM_EXIT_CPUID, "cpuid", "cpuid");
    dispatch(SVM_EXIT_MSR, "msr", "msr");
    dispatch(SVM_EXIT_IOIO, "ioio", "ioio");
    dispatch(SVM_EXIT_VMMCALL, "vmmcall", "vmmcall");
    dispatch(SVM_EXIT_SHUTDOWN, "shutdown", "shutdown");
    dispatch(SVM_EXIT_NPF, "npf", "npf");
    dispatch(SVM_EXIT_VMRUN, "svm-instruction", "vmrun");
    dispatch(SVM_EXIT_VMLOAD, "svm-instruction", "vmload");
    dispatch(SVM_EXIT_VMSAVE, "svm-instruction", "vmsave");
    dispatch(SVM_EXIT_STGI, "svm-instruction", "stgi");
    dispatch(SVM_EXIT_CLGI, "svm-instruction", "clgi");
    dispatch(SVM_EXIT_SKINIT, "svm-instruction", "skinit");
    dispatch(SVM_EXIT_INVLPGA, "svm-instruction", "invlpga");
}

static void unintercepted_exits_have_no_row(void) {
    CHECK(svm_exit_lookup(0x061) == 0); /* NMI */
    CHECK(svm_exit_lookup(0x064) == 0); /* VINTR */
    CHECK(svm_exit_lookup(SVM_EXIT_INVALID) == 0);
}

static void codes_are_unique(void) {
    for (size_t i = 0; i < svm_exit_kind_count; i++)
        for (size_t j = i + 1; j < svm_exit_kind_count; j++) CHECK(svm_exit_kinds[i].code != svm_exit_kinds[j].code);
}

int main(void) {
    TEST(intercepted_exits_reach_their_handlers);
    TEST(unintercepted_exits_have_no_row);
    TEST(codes_are_unique);
    return tap_finish();
}
