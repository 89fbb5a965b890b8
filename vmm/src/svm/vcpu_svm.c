/* SPDX-License-Identifier: MIT */
/* The SVM implementation of hv/cpu_backend.h: VMCB set-up for a real-mode start, the accessors, and
 * the run loop. */
#include "svm/exit_handlers.h"
#include "svm/svm.h"

#include "console/log.h"
#include "hv/background.h"
#include "hv/host_msrs.h"
#include "io/io_ports.h"
#include "irq/interrupts.h"
#include "lib/string.h"
#include "mm/pages.h"
#include "svm/exits.h"
#include "x86/cpu.h"

#define CR0_PE_BIT 1ull /* protected mode */
#define IOPM_PAGES 3
#define MSRPM_PAGES 2
#define PAT_POWER_ON 0x0007040600070406ull
#define RFLAGS_VM (1ull << 17)

static struct vcpu the_vcpu;
static struct svm_vcpu the_svm_vcpu;

static struct svm_vcpu *arch(const struct vcpu *v) { return v->arch; }

static struct vmcb_segment *segment(const struct vcpu *v, enum insn_segment seg) {
    struct vmcb_save *s = &arch(v)->vmcb->save;
    switch (seg) {
    case SEG_ES: return &s->es;
    case SEG_CS: return &s->cs;
    case SEG_SS: return &s->ss;
    case SEG_DS: return &s->ds;
    case SEG_FS: return &s->fs;
    case SEG_GS: return &s->gs;
    default: break;
    }
    return &s->ds;
}

uint64_t vcpu_rip(const struct vcpu *v) { return arch(v)->vmcb->save.rip; }
void vcpu_set_rip(struct vcpu *v, uint64_t rip) { arch(v)->vmcb->save.rip = rip; }
uint64_t vcpu_rflags(const struct vcpu *v) { return arch(v)->vmcb->save.rflags; }
void vcpu_set_rflags(struct vcpu *v, uint64_t rflags) { arch(v)->vmcb->save.rflags = rflags; }
uint64_t vcpu_segment_base(const struct vcpu *v, enum insn_segment seg) { return segment(v, seg)->base; }
uint16_t vcpu_segment_selector(const struct vcpu *v, enum insn_segment seg) { return segment(v, seg)->selector; }

enum cpu_mode vcpu_code_mode(const struct vcpu *v) {
    const struct vmcb_save *s = &arch(v)->vmcb->save;
    if (s->rflags & RFLAGS_VM) return CPU_MODE_16; /* virtual-8086 */
    if ((s->efer & EFER_LMA) && (s->cs.attrib & (1u << 9))) return CPU_MODE_64;
    if ((s->cr0 & CR0_PE_BIT) && (s->cs.attrib & (1u << 10))) return CPU_MODE_32;
    return CPU_MODE_16;
}

unsigned vcpu_privilege_level(const struct vcpu *v) { return arch(v)->vmcb->save.cpl; }

void vcpu_paging(const struct vcpu *v, struct guest_paging *out) {
    const struct vmcb_save *s = &arch(v)->vmcb->save;
    out->cr0 = s->cr0;
    out->cr3 = s->cr3;
    out->cr4 = s->cr4;
    out->efer = s->efer;
    out->max_phys_addr = arch(v)->max_phys_addr;
}

void vcpu_inject_exception(struct vcpu *v, uint8_t vector, bool has_error_code, uint32_t error_code) {
    uint64_t event = vector | SVM_EVENT_TYPE_EXCEPTION | SVM_EVENT_VALID;
    /* Real mode pushes no error code (FLAGS, CS, IP only). */
    if (has_error_code && (arch(v)->vmcb->save.cr0 & CR0_PE_BIT))
        event |= SVM_EVENT_ERROR_VALID | (uint64_t)error_code << 32;
    arch(v)->vmcb->control.event_inject = event;
}

void vcpu_inject_page_fault(struct vcpu *v, uint64_t linear, uint32_t error_code) {
    arch(v)->vmcb->save.cr2 = linear;
    vcpu_inject_exception(v, VECTOR_PF, true, error_code);
}

void svm_intercept_msr(struct vcpu *v, uint32_t msr, bool reads, bool writes) {
    /* Three 2 KiB vectors, 2 bits per MSR (read, write): 0-1FFFh, C000_0000h-, C001_0000h-. */
    uint32_t offset;
    if (msr <= 0x1FFF)
        offset = 0;
    else if (msr >= 0xC0000000u && msr <= 0xC0001FFFu)
        offset = 0x800;
    else if (msr >= 0xC0010000u && msr <= 0xC0011FFFu)
        offset = 0x1000;
    else
        panic("svm_intercept_msr: MSR %x is outside the permission map\n", msr);
    uint32_t bit = (msr & 0x1FFF) * 2;
    uint8_t *byte = &arch(v)->msr_bitmap[offset + bit / 8];
    if (reads) *byte |= (uint8_t)(1u << (bit % 8));
    if (writes) *byte |= (uint8_t)(2u << (bit % 8));
}

static uint64_t read_msr(uint32_t msr) { return rdmsr(msr); }

/* The machine-wide MSRs (include/hv/host_msrs.h) this CPU has; SVM means an AMD CPU of family
 * 0Fh or later, which has SYSCFG, TOP_MEM and TOP_MEM2. */
static void intercept_host_msrs(struct vcpu *v) {
    struct host_msr_presence presence = { .amd_memory_map = true };
    if (cpuid(1, 0).edx & CPUID_1_EDX_MTRR) {
        uint64_t cap = rdmsr(MSR_MTRR_CAP);
        presence.mtrr = true;
        presence.fixed_mtrrs = (cap & MTRR_CAP_FIX) != 0;
        presence.variable_mtrrs = (unsigned)(cap & MTRR_CAP_VCNT_MASK);
    }
    unsigned count = host_msrs_init(&presence, read_msr);
    for (unsigned i = 0; i < count; i++) svm_intercept_msr(v, host_msrs_at(i), true, true);
}

/* V_IRQ: the CPU delivers the vector through the guest's IDT once RFLAGS.IF = 1 (with
 * V_INTR_MASKING off, the guest's IF is what counts), then clears V_IRQ itself. */
void vcpu_inject_external_interrupt(struct vcpu *v, uint8_t vector) {
    arch(v)->vmcb->control.vintr =
        SVM_VINTR_IRQ | SVM_VINTR_IGNORE_TPR | SVM_VINTR_PRIORITY_MAX | (uint64_t)vector << 32;
}

void vcpu_intercept_io_port(struct vcpu *v, uint16_t port, bool intercept) {
    uint8_t *byte = &arch(v)->io_bitmap[port / 8];
    uint8_t bit = (uint8_t)(1u << (port % 8));
    *byte = intercept ? (uint8_t)(*byte | bit) : (uint8_t)(*byte & ~bit);
}

static void set_segment(struct vmcb_segment *seg, uint16_t selector, uint16_t attrib) {
    seg->selector = selector;
    seg->attrib = attrib;
    seg->limit = 0xFFFF;
    seg->base = (uint64_t)selector << 4;
}

/* Real mode as the BIOS leaves it before booting a disk (values measured on QEMU, see
 * testbed-facts). */
static void init_real_mode_state(struct vmcb_save *s, const struct guest_start *start) {
    set_segment(&s->cs, start->cs_selector, 0x9B);
    set_segment(&s->ds, 0, 0x93);
    set_segment(&s->es, 0, 0x93);
    set_segment(&s->ss, 0, 0x93);
    set_segment(&s->fs, 0, 0x93);
    set_segment(&s->gs, 0, 0x93);
    s->gdtr.limit = 0;
    s->idtr.limit = 0x3FF;
    s->ldtr.attrib = 0x82;
    s->ldtr.limit = 0xFFFF;
    s->tr.attrib = 0x8B;
    s->tr.limit = 0xFFFF;
    s->cr0 = 0x10;       /* ET; protection and paging off */
    s->efer = EFER_SVME; /* VMRUN demands SVME in the guest EFER; reads hide it */
    s->rflags = 0x2;
    s->rip = start->ip;
    s->rsp = 0x7C00;
    s->dr6 = 0xFFFF0FF0;
    s->dr7 = 0x400;
    s->g_pat = PAT_POWER_ON;
}

static void init_intercepts(struct vmcb_control *c) {
    c->intercept_misc1 = SVM_INTERCEPT_CPUID | SVM_INTERCEPT_MSR_PROT | SVM_INTERCEPT_IOIO_PROT |
        SVM_INTERCEPT_SHUTDOWN | SVM_INTERCEPT_INVLPGA;
    /* The guest's EFER.SVME is forced on, so SVM instructions would work in the guest: trap
     * them all and answer #UD, as a CPU without SVM would. */
    c->intercept_misc2 = SVM_INTERCEPT_VMRUN | SVM_INTERCEPT_VMMCALL | SVM_INTERCEPT_VMLOAD | SVM_INTERCEPT_VMSAVE |
        SVM_INTERCEPT_STGI | SVM_INTERCEPT_CLGI | SVM_INTERCEPT_SKINIT;
}

struct vcpu *cpu_backend_create_vcpu(const struct guest_start *start) {
    struct svm_vcpu *s = &the_svm_vcpu;
    s->vmcb = pool_alloc_pages(&hv_pages, 1);
    s->vmcb_pa = pool_virt_to_phys(s->vmcb);
    s->host_vmcb = pool_alloc_pages(&hv_pages, 1);
    s->host_vmcb_pa = pool_virt_to_phys(s->host_vmcb);
    s->msr_bitmap = pool_alloc_pages(&hv_pages, MSRPM_PAGES);
    s->io_bitmap = pool_alloc_pages(&hv_pages, IOPM_PAGES); /* all clear: ports pass through */

    struct vmcb_control *c = &s->vmcb->control;
    init_intercepts(c);
    s->max_phys_addr = (uint8_t)cpuid(0x80000008u, 0).eax; /* the guest sees the host's value */
    c->iopm_base_pa = pool_virt_to_phys(s->io_bitmap);
    c->msrpm_base_pa = pool_virt_to_phys(s->msr_bitmap);
    c->guest_asid = 1;
    c->np_enable = 1;
    c->n_cr3 = start->npt_root_pa;
    init_real_mode_state(&s->vmcb->save, start);

    the_vcpu.arch = s;
    the_vcpu.gprs.rsp = s->vmcb->save.rsp;
    svm_intercept_msr(&the_vcpu, MSR_TSC, false, true);
    svm_intercept_msr(&the_vcpu, MSR_EFER, true, true);
    svm_intercept_msr(&the_vcpu, MSR_VM_HSAVE_PA, true, true);
    svm_intercept_msr(&the_vcpu, MSR_VM_CR, true, true);
    intercept_host_msrs(&the_vcpu);
    svm_panic_dump_attach(&the_vcpu);
    return &the_vcpu;
}

void cpu_backend_run(struct vcpu *v) {
    struct svm_vcpu *s = arch(v);
    for (;;) {
        s->vmcb->save.rax = v->gprs.rax;
        s->vmcb->save.rsp = v->gprs.rsp;
        svm_world_switch(&v->gprs, s->vmcb_pa, s->host_vmcb_pa);
        v->gprs.rax = s->vmcb->save.rax;
        v->gprs.rsp = s->vmcb->save.rsp;
        svm_handle_exit(v);
        background_turn_now(v);
        svm_deliver_waiting_interrupt(v);
    }
}
