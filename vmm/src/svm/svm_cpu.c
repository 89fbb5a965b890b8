/* SPDX-License-Identifier: MIT */
#include "svm/svm.h"

#include "mm/pages.h"
#include "vmx/vmx_probe.h"
#include "x86/cpu.h"

#define CPUID_EXT_FEATURES 0x80000001u
#define CPUID_EXT_ECX_SVM (1u << 2)
#define CPUID_SVM_FEATURES 0x8000000Au
#define CPUID_SVM_EDX_NPT (1u << 0)

const char *cpu_backend_unsupported_reason(void) {
    struct cpuid_regs vendor = cpuid(0, 0);
    /* "GenuineIntel": EBX="Genu" EDX="ineI" ECX="ntel" */
    if (vendor.ebx == 0x756E6547 && vendor.edx == 0x49656E69 && vendor.ecx == 0x6C65746E) {
        const char *vmx_refused = vmx_probe();
        return vmx_refused
            ? vmx_refused
            : "this is an Intel CPU with the VT-x the hypervisor's VT-x backend will use (EPT, unrestricted "
              "guest), but that backend is not written yet (only AMD SVM): use an AMD machine, or QEMU "
              "with -cpu qemu64,+svm,+npt";
    }
    if (cpuid(0x80000000u, 0).eax < CPUID_SVM_FEATURES || !(cpuid(CPUID_EXT_FEATURES, 0).ecx & CPUID_EXT_ECX_SVM))
        return "this CPU lacks AMD SVM (CPUID 8000_0001h ECX bit 2): the hypervisor needs AMD-V; "
               "on QEMU use -cpu qemu64,+svm,+npt";
    if (!(cpuid(CPUID_SVM_FEATURES, 0).edx & CPUID_SVM_EDX_NPT))
        return "this CPU has SVM but no nested paging (CPUID 8000_000Ah EDX bit 0); "
               "on QEMU add +npt to -cpu";
    if (rdmsr(MSR_VM_CR) & VM_CR_SVMDIS)
        return "SVM is disabled by the firmware (VM_CR.SVMDIS): enable SVM/AMD-V in the BIOS setup";
    return 0;
}

void cpu_backend_enable(void) {
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
    void *host_save_area = pool_alloc_pages(&hv_pages, 1);
    wrmsr(MSR_VM_HSAVE_PA, pool_virt_to_phys(host_save_area));
}
