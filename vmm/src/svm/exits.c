/* #VMEXIT dispatch table and the SVM-specific exit handlers. Handlers that implement policy or
 * firmware services call the architecture-neutral code in src/hv/ and src/guest/. */
#include "svm/exits.h"

#include "console/log.h"
#include "hv/guest_memory.h"
#include "hv/hypercall.h"
#include "hv/policy.h"
#include "svm/svm.h"
#include "x86/cpu.h"
#include "x86/tsc.h"

#define VECTOR_UD 6
#define VECTOR_GP 13

static uint64_t exit_counts[16];   /* indexed like exit_kinds[] */
static uint64_t exits_total;

/* TCG provides no NextRIP: decode the instruction at CS:RIP to learn its length. */
static void skip_instruction(struct vcpu *v) {
    struct insn insn;
    if (!guest_fetch_insn(v, &insn)) panic("cannot fetch/decode the guest instruction at %lx\n", vcpu_linear_rip(v));
    vcpu_advance(v, insn.length);
}

static void handle_cpuid(struct vcpu *v) {
    uint32_t leaf = (uint32_t)v->gprs.rax, subleaf = (uint32_t)v->gprs.rcx;
    struct cpuid_regs hw = cpuid(leaf, subleaf);
    struct cpuid_result r = { hw.eax, hw.ebx, hw.ecx, hw.edx };
    cpuid_policy_apply(leaf, subleaf, &r);
    v->gprs.rax = r.eax;
    v->gprs.rbx = r.ebx;
    v->gprs.rcx = r.ecx;
    v->gprs.rdx = r.edx;
    skip_instruction(v);
}

static void handle_msr(struct vcpu *v) {
    struct vmcb *vmcb = svm_vmcb(v);
    uint32_t msr = (uint32_t)v->gprs.rcx;
    bool write = vmcb->control.exit_info1 == 1;
    if (msr == MSR_EFER) {
        if (write) {
            vmcb->save.efer = efer_from_guest_write((v->gprs.rdx << 32) | (uint32_t)v->gprs.rax);
        } else {
            uint64_t value = efer_guest_view(vmcb->save.efer);
            v->gprs.rax = (uint32_t)value;
            v->gprs.rdx = value >> 32;
        }
        skip_instruction(v);
        return;
    }
    /* VM_CR and VM_HSAVE_PA exist only with SVM, which the guest is told it lacks. */
    vcpu_inject_exception(v, VECTOR_GP, true, 0);
}

static void handle_vmmcall(struct vcpu *v) {
    /* VMMCALL is 0F 01 D9: three bytes in every mode. */
    hypercall_handle(v, 3);
}

static void handle_svm_instruction(struct vcpu *v) {
    vcpu_inject_exception(v, VECTOR_UD, false, 0);
}

static void handle_shutdown(struct vcpu *v) {
    (void)v;
    log_printf("guest shutdown (triple fault): resetting the machine, as hardware would\n");
    vcpu_log_exit_stats("at reset");
    outb(0xCF9, 0x02);
    outb(0xCF9, 0x06);   /* PCI reset control: hard reset */
    outb(0x64, 0xFE);    /* fallback: keyboard controller reset pulse */
    cpu_halt_forever();
}

static void handle_npf(struct vcpu *v) {
    struct vmcb *vmcb = svm_vmcb(v);
    panic("guest touched hypervisor memory or an unmapped address: gpa=%lx error=%lx at linear rip %lx\n",
          vmcb->control.exit_info2, vmcb->control.exit_info1, vcpu_linear_rip(v));
}

static const struct svm_exit_kind exit_kinds[] = {
    { SVM_EXIT_CPUID, "cpuid", handle_cpuid },
    { SVM_EXIT_MSR, "msr", handle_msr },
    { SVM_EXIT_VMMCALL, "vmmcall", handle_vmmcall },
    { SVM_EXIT_SHUTDOWN, "shutdown", handle_shutdown },
    { SVM_EXIT_NPF, "npf", handle_npf },
    { SVM_EXIT_VMRUN, "vmrun", handle_svm_instruction },
    { SVM_EXIT_VMLOAD, "vmload", handle_svm_instruction },
    { SVM_EXIT_VMSAVE, "vmsave", handle_svm_instruction },
    { SVM_EXIT_STGI, "stgi", handle_svm_instruction },
    { SVM_EXIT_CLGI, "clgi", handle_svm_instruction },
    { SVM_EXIT_SKINIT, "skinit", handle_svm_instruction },
    { SVM_EXIT_INVLPGA, "invlpga", handle_svm_instruction },
};
#define EXIT_KIND_COUNT (sizeof exit_kinds / sizeof exit_kinds[0])
_Static_assert(EXIT_KIND_COUNT <= sizeof exit_counts / sizeof exit_counts[0], "exit_counts too small");

const struct svm_exit_kind *svm_exit_lookup(uint64_t code) {
    for (unsigned i = 0; i < EXIT_KIND_COUNT; i++)
        if (exit_kinds[i].code == code) return &exit_kinds[i];
    return 0;
}

void vcpu_log_exit_stats(const char *why) {
    log_printf("exit counts %s: total %lu", why, exits_total);
    for (unsigned i = 0; i < EXIT_KIND_COUNT; i++)
        if (exit_counts[i]) log_printf_continue(" %s=%lu", exit_kinds[i].name, exit_counts[i]);
    log_printf_continue("\n");
}

/* The guest runs untouched for long stretches; show we are alive, at most every 10 s. */
static void log_stats_now_and_then(void) {
    static uint64_t last_tsc;
    uint64_t now = rdtsc();
    if (now - last_tsc > tsc_from_us(10 * 1000000)) {
        last_tsc = now;
        vcpu_log_exit_stats("so far");
    }
}

void svm_handle_exit(struct vcpu *v) {
    struct vmcb *vmcb = svm_vmcb(v);
    uint64_t code = vmcb->control.exit_code;
    if (code == SVM_EXIT_INVALID) panic("VMRUN refused the guest state (exit code VMEXIT_INVALID)\n");
    const struct svm_exit_kind *kind = svm_exit_lookup(code);
    if (!kind) panic("unexpected #VMEXIT %lx (info1 %lx info2 %lx)\n", code, vmcb->control.exit_info1,
                     vmcb->control.exit_info2);
    exits_total++;
    exit_counts[kind - exit_kinds]++;
    kind->handle(v);
    log_stats_now_and_then();
}
