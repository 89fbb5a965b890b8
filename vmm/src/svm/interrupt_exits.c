/* SPDX-License-Identifier: MIT */
/* The guest's interrupts and HLT while background work runs (hv/background.h). The guest owns
 * the PICs, IOAPIC and local APIC; the hypervisor only borrows the CPU at its interrupts. An
 * intercepted interrupt stays pending in the APIC or PIC: the hypervisor takes it in a window of
 * its own (GIF and IF set for one instruction), which acknowledges it as the guest's CPU would,
 * and injects the vector, so the guest's handler runs and sends its EOI as usual. */
#include "hv/background.h"
#include "svm/exit_handlers.h"
#include "svm/svm.h"
#include "x86/cpu.h"
#include "x86/host_cpu.h"

#define RFLAGS_IF (1ull << 9)
#define HLT_LENGTH 1 /* F4 */

/* The vector of one pending external interrupt, acknowledged; -1 when none is pending. */
static int svm_take_interrupt(void) {
    host_interrupt_vector = -1;
    host_idt_for_interrupts(true);
    __asm__ volatile("stgi\n\tsti\n\tnop\n\tcli\n\tclgi" ::: "memory");
    host_idt_for_interrupts(false);
    return (int)host_interrupt_vector;
}

static void inject_interrupt(struct vmcb *vmcb, int vector) {
    vmcb->control.event_inject = (uint64_t)vector | SVM_EVENT_TYPE_INTR | SVM_EVENT_VALID;
}

void vcpu_intercept_interrupts(struct vcpu *v, bool on) {
    struct vmcb_control *c = &svm_vmcb(v)->control;
    const uint32_t bits = SVM_INTERCEPT_INTR | SVM_INTERCEPT_HLT;
    c->intercept_misc1 = on ? c->intercept_misc1 | bits : c->intercept_misc1 & ~bits;
}

/* An interrupt arrived while the guest could take it (its RFLAGS.IF set, no shadow). If the exit
 * interrupted the delivery of another event, that one goes first and the interrupt waits. */
void svm_exit_intr(struct vcpu *v) {
    struct vmcb *vmcb = svm_vmcb(v);
    if (vmcb->control.exit_int_info & SVM_EVENT_VALID) {
        vmcb->control.event_inject = vmcb->control.exit_int_info;
        return;
    }
    int vector = svm_take_interrupt();
    if (vector >= 0) inject_interrupt(vmcb, vector);
}

/* What would wake a halted guest: an interrupt the hypervisor raised through V_IRQ (PIC mode), or
 * one pending in the APIC or PIC (taken and injected here). */
static bool wake_due(struct vmcb *vmcb) {
    if (vmcb->control.vintr & SVM_VINTR_IRQ) return true;
    int vector = svm_take_interrupt();
    if (vector < 0) return false;
    inject_interrupt(vmcb, vector);
    return true;
}

/* The guest idles: its time goes to the background work until an interrupt wakes it, as the
 * real HLT would end; then it resumes after the HLT. When the work ends with nothing to wake the
 * guest, the HLT runs again, natively (the intercept is off by then). A guest halting with
 * interrupts off waits for the work only. */
void svm_exit_hlt(struct vcpu *v) {
    struct vmcb *vmcb = svm_vmcb(v);
    bool interruptible = vmcb->save.rflags & RFLAGS_IF;
    for (;;) {
        if (interruptible && wake_due(vmcb)) {
            vcpu_advance(v, HLT_LENGTH);
            vmcb->control.interrupt_shadow &= ~SVM_INTERRUPT_SHADOW; /* the STI before it is past */
            return;
        }
        if (!background_busy()) return;
        background_turn_now(v);
        cpu_relax();
    }
}
