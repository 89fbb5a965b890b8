/* SPDX-License-Identifier: MIT */
/* The SVM-specific exit handlers (the table that routes exit codes to them is exit_table.c) and
 * the dispatch loop's bookkeeping. Handlers that implement policy or firmware services call the
 * architecture-neutral code in src/hv/ and src/guest/. */
#include "svm/exits.h"
#include "svm/exit_handlers.h"

#include "console/log.h"
#include "hv/guest_memory.h"
#include "hv/host_msrs.h"
#include "hv/hypercall.h"
#include "hv/policy.h"
#include "io/io_ports.h"
#include "pci/device_fence.h"
#include "svm/svm.h"
#include "x86/cpu.h"
#include "x86/tsc.h"

static uint64_t exit_counts[SVM_EXIT_KIND_MAX]; /* indexed like svm_exit_kinds[] */
static uint64_t exits_total;

/* TCG provides no NextRIP: decode the instruction at CS:RIP to learn its length. */
static void skip_instruction(struct vcpu *v) {
    struct insn insn;
    if (!guest_fetch_insn(v, &insn)) panic("cannot fetch/decode the guest instruction at %lx\n", vcpu_linear_rip(v));
    vcpu_advance(v, insn.length);
}

void svm_exit_cpuid(struct vcpu *v) {
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

void svm_exit_msr(struct vcpu *v) {
    struct vmcb *vmcb = svm_vmcb(v);
    uint32_t msr = (uint32_t)v->gprs.rcx;
    bool write = vmcb->control.exit_info1 == 1;
    if (msr == MSR_EFER) {
        if (write) {
            uint64_t written = (v->gprs.rdx << 32) | (uint32_t)v->gprs.rax;
            struct cpuid_regs ext = cpuid(0x80000001u, 0);
            if (written & ~efer_writable_bits(ext.edx, ext.ecx)) { /* VMRUN would fail on it */
                vcpu_inject_exception(v, VECTOR_GP, true, 0);
                return;
            }
            vmcb->save.efer = efer_from_guest_write(written);
        } else {
            uint64_t value = efer_guest_view(vmcb->save.efer);
            v->gprs.rax = (uint32_t)value;
            v->gprs.rdx = value >> 32;
        }
        skip_instruction(v);
        return;
    }
    if (msr == MSR_TSC && write) {
        /* The guest sets its own clock, not the CPU's: the hypervisor's timers (AoE retransmits,
         * deadlines, log times) run on the host TSC. RDTSC and RDMSR in the guest add the offset. */
        vmcb->control.tsc_offset = ((v->gprs.rdx << 32) | (uint32_t)v->gprs.rax) - rdtsc();
        skip_instruction(v);
        return;
    }
    if (write) {
        uint64_t value = (v->gprs.rdx << 32) | (uint32_t)v->gprs.rax;
        bool first;
        if (host_msrs_write(msr, value, &first)) {
            if (first)
                log_printf("guest wrote MSR %x = %lx: kept as the guest's own copy; the CPU keeps %lx (logged once "
                           "per MSR)\n",
                           msr, value, rdmsr(msr));
            skip_instruction(v);
            return;
        }
    } else {
        uint64_t value;
        if (host_msrs_read(msr, &value)) {
            v->gprs.rax = (uint32_t)value;
            v->gprs.rdx = value >> 32;
            skip_instruction(v);
            return;
        }
    }
    /* VM_CR and VM_HSAVE_PA exist only with SVM, which the guest is told it lacks. */
    vcpu_inject_exception(v, VECTOR_GP, true, 0);
}

void svm_exit_vmmcall(struct vcpu *v) {
    /* VMMCALL is 0F 01 D9: three bytes in every mode. */
    hypercall_handle(v, 3);
}

void svm_exit_ioio(struct vcpu *v) {
    struct vmcb *vmcb = svm_vmcb(v);
    uint64_t info1 = vmcb->control.exit_info1;
    /* TCG leaves EXITINFO1's address-size and segment fields empty: decode string forms. */
    uint8_t address_size = 0;
    int8_t segment = SEG_NONE;
    if (info1 & SVM_IOIO_STRING) {
        struct insn insn;
        if (!guest_fetch_insn(v, &insn)) panic("cannot decode the string I/O instruction at %lx\n", vcpu_linear_rip(v));
        address_size = insn.address_size;
        segment = insn.segment_override;
    }
    struct io_exit e = svm_decode_ioio(info1, vmcb->control.exit_info2, address_size, segment);
    io_exit_handle(v, &e);
}

void svm_exit_svm_instruction(struct vcpu *v) { vcpu_inject_exception(v, VECTOR_UD, false, 0); }

void svm_exit_shutdown(struct vcpu *v) {
    (void)v;
    log_printf("guest shutdown (triple fault): resetting the machine, as hardware would\n");
    vcpu_log_exit_stats("at reset");
    outb(0xCF9, 0x02);
    outb(0xCF9, 0x06); /* PCI reset control: hard reset */
    outb(0x64, 0xFE);  /* fallback: keyboard controller reset pulse */
    cpu_halt_forever();
}

#define NPF_PRESENT (1ull << 0)
#define NPF_WRITE (1ull << 1)

void svm_exit_npf(struct vcpu *v) {
    struct vmcb *vmcb = svm_vmcb(v);
    uint64_t error = vmcb->control.exit_info1;
    if ((error & (NPF_PRESENT | NPF_WRITE)) == (NPF_PRESENT | NPF_WRITE) &&
        device_fence_dropped_write(vmcb->control.exit_info2)) {
        skip_instruction(v); /* the write goes nowhere, as to an empty slot */
        return;
    }
    panic("guest touched hypervisor memory or an unmapped address: gpa=%lx error=%lx at linear rip %lx\n",
          vmcb->control.exit_info2, vmcb->control.exit_info1, vcpu_linear_rip(v));
}

void vcpu_log_exit_stats(const char *why) {
    log_printf("exit counts %s: total %lu", why, exits_total);
    for (size_t i = 0; i < svm_exit_kind_count; i++)
        if (exit_counts[i]) log_printf_continue(" %s=%lu", svm_exit_kinds[i].name, exit_counts[i]);
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
    if (!kind)
        panic("unexpected #VMEXIT %lx (info1 %lx info2 %lx)\n", code, vmcb->control.exit_info1,
              vmcb->control.exit_info2);
    exits_total++;
    exit_counts[kind - svm_exit_kinds]++;
    kind->handle(v);
    log_stats_now_and_then();
}
