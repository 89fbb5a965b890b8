/* SPDX-License-Identifier: MIT */
/* The guest's interrupts and HLT while background work runs (hv/background.h). The guest owns
 * the PICs, IOAPIC and local APIC; the hypervisor only borrows the CPU at its interrupts. An
 * intercepted interrupt stays pending in the APIC or PIC: the hypervisor takes it in a window of
 * its own (GIF and IF set for one instruction), which acknowledges it as the guest's CPU would,
 * and hands the vector to the guest as a virtual interrupt (V_IRQ), so the guest's handler runs
 * and sends its EOI as usual.
 *
 * Why V_IRQ and not EVENTINJ: QEMU's TCG (as its source reads; seen with Debian's 7.2) delivers
 * an injected external interrupt at VMRUN but leaves its vector as the CPU's pending exception,
 * and delivers it a second time at whatever instruction the guest is at when TCG next leaves its
 * execution loop, whatever the guest's IF: in Linux's SYSCALL entry, before SWAPGS, that is a double fault on the
 * user's stack (paper-notes.md, "A guest double fault under QEMU TCG"). A virtual interrupt is
 * taken like a real one, when the guest's IF allows. While one is still waiting for the guest
 * (a second interrupt arrived first), taken vectors wait in a short queue; the interrupt and HLT
 * intercepts stay on while any vector waits (svm_deliver_waiting_interrupt). */
#include "console/log.h"
#include "hv/background.h"
#include "irq/interrupts.h"
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

/* Vectors taken while V_IRQ still held an earlier one, in arrival order. */
#define WAITING_MAX 16
static uint8_t waiting[WAITING_MAX];
static unsigned waiting_count;

static bool virtual_interrupt_pending(const struct vmcb *vmcb) { return (vmcb->control.vintr & SVM_VINTR_IRQ) != 0; }

static void hand_to_guest(struct vcpu *v, int vector) {
    if (!virtual_interrupt_pending(svm_vmcb(v))) {
        vcpu_inject_external_interrupt(v, (uint8_t)vector);
        return;
    }
    if (waiting_count == WAITING_MAX) panic("interrupts: %u taken vectors wait for the guest\n", waiting_count);
    waiting[waiting_count++] = (uint8_t)vector;
}

void svm_deliver_waiting_interrupt(struct vcpu *v) {
    if (waiting_count > 0 && !virtual_interrupt_pending(svm_vmcb(v))) {
        vcpu_inject_external_interrupt(v, waiting[0]);
        waiting_count--;
        for (unsigned i = 0; i < waiting_count; i++) waiting[i] = waiting[i + 1];
    }
    /* While a vector waits for the guest, in V_IRQ or in the queue, the intercepts stay on, also
     * after the background work has ended: a queued vector needs a later exit (the guest's next
     * interrupt or HLT), and QEMU's interrupt code clears a waiting V_IRQ when it delivers a
     * physical interrupt to the guest itself (an intercepted one exits first and joins the
     * queue). */
    if (waiting_count > 0 || virtual_interrupt_pending(svm_vmcb(v)))
        vcpu_intercept_interrupts(v, true);
    else if (!background_busy())
        vcpu_intercept_interrupts(v, false);
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
    if (vector >= 0) hand_to_guest(v, vector);
}

/* What would wake a halted guest: a virtual interrupt already waiting in V_IRQ (raised by the
 * hypervisor in PIC mode, or taken earlier), or one pending in the APIC or PIC (taken here). */
static bool wake_due(struct vcpu *v) {
    svm_deliver_waiting_interrupt(v);
    if (virtual_interrupt_pending(svm_vmcb(v))) return true;
    int vector = svm_take_interrupt();
    if (vector < 0) return false;
    hand_to_guest(v, vector);
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
        if (interruptible && wake_due(v)) {
            vcpu_advance(v, HLT_LENGTH);
            vmcb->control.interrupt_shadow &= ~SVM_INTERRUPT_SHADOW; /* the STI before it is past */
            return;
        }
        if (!background_busy()) return;
        background_turn_now(v);
        cpu_relax();
    }
}
