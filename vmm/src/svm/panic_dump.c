/* SPDX-License-Identifier: MIT */
/* Guest state for panic messages: the VMCB's exit information and save area. */
#include "svm/svm.h"

#include "console/log.h"

static struct vcpu *panic_vcpu;

static void dump_guest_state(void) {
    const struct vmcb *vmcb = svm_vmcb(panic_vcpu);
    const struct vmcb_save *s = &vmcb->save;
    const struct vcpu_gprs *g = &panic_vcpu->gprs;
    log_printf("exit code %lx info1 %lx info2 %lx intinfo %lx\n", vmcb->control.exit_code, vmcb->control.exit_info1,
               vmcb->control.exit_info2, vmcb->control.exit_int_info);
    log_printf("cs %04x base %lx attr %x  rip %lx  rflags %lx  cpl %u\n", s->cs.selector, s->cs.base, s->cs.attrib,
               s->rip, s->rflags, s->cpl);
    log_printf("ss %04x base %lx  rsp %lx  ds %04x es %04x\n", s->ss.selector, s->ss.base, s->rsp, s->ds.selector,
               s->es.selector);
    log_printf("cr0 %lx cr2 %lx cr3 %lx cr4 %lx efer %lx\n", s->cr0, s->cr2, s->cr3, s->cr4, s->efer);
    log_printf("rax %lx rbx %lx rcx %lx rdx %lx\n", s->rax, g->rbx, g->rcx, g->rdx);
    log_printf("rsi %lx rdi %lx rbp %lx\n", g->rsi, g->rdi, g->rbp);
}

void svm_panic_dump_attach(struct vcpu *v) {
    panic_vcpu = v;
    panic_set_hook(dump_guest_state);
}
