/* SPDX-License-Identifier: MIT */
/* #VMEXIT code -> handler. Every intercept enabled in vcpu_svm.c has a row here. */
#include "svm/exit_handlers.h"
#include "svm/exits.h"
#include "svm/vmcb.h"

const struct svm_exit_kind svm_exit_kinds[] = {
    { SVM_EXIT_INTR, "intr", svm_exit_intr },
    { SVM_EXIT_HLT, "hlt", svm_exit_hlt },
    { SVM_EXIT_CPUID, "cpuid", svm_exit_cpuid },
    { SVM_EXIT_MSR, "msr", svm_exit_msr },
    { SVM_EXIT_IOIO, "ioio", svm_exit_ioio },
    { SVM_EXIT_VMMCALL, "vmmcall", svm_exit_vmmcall },
    { SVM_EXIT_SHUTDOWN, "shutdown", svm_exit_shutdown },
    { SVM_EXIT_NPF, "npf", svm_exit_npf },
    { SVM_EXIT_VMRUN, "vmrun", svm_exit_svm_instruction },
    { SVM_EXIT_VMLOAD, "vmload", svm_exit_svm_instruction },
    { SVM_EXIT_VMSAVE, "vmsave", svm_exit_svm_instruction },
    { SVM_EXIT_STGI, "stgi", svm_exit_svm_instruction },
    { SVM_EXIT_CLGI, "clgi", svm_exit_svm_instruction },
    { SVM_EXIT_SKINIT, "skinit", svm_exit_svm_instruction },
    { SVM_EXIT_INVLPGA, "invlpga", svm_exit_svm_instruction },
};
const size_t svm_exit_kind_count = sizeof svm_exit_kinds / sizeof svm_exit_kinds[0];
_Static_assert(sizeof svm_exit_kinds / sizeof svm_exit_kinds[0] <= SVM_EXIT_KIND_MAX, "raise SVM_EXIT_KIND_MAX");

const struct svm_exit_kind *svm_exit_lookup(uint64_t code) {
    for (size_t i = 0; i < svm_exit_kind_count; i++)
        if (svm_exit_kinds[i].code == code) return &svm_exit_kinds[i];
    return 0;
}
