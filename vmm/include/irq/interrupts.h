/* SPDX-License-Identifier: MIT */
/* Interrupt management: where the guest wants each ISA IRQ delivered. */
#ifndef IRQ_INTERRUPTS_H
#define IRQ_INTERRUPTS_H

#include "hv/cpu_backend.h"

/* Starts following the guest's PIC programming (intercepts writes to ports 20h/21h/A0h/A1h and
 * passes every access on to the real PICs). */
void interrupts_init(struct vcpu *v);

/* The vector the guest's PIC setup assigns to ISA IRQ `irq`. */
uint8_t interrupts_pic_vector(unsigned irq);

/* An emulated device raised ISA IRQ `irq` (an edge): deliver it the way the guest routed it.
 * In APIC mode (the IOAPIC pin is unmasked) a self-IPI with the pin's vector goes through the
 * real local APIC, so the guest's EOI finds the in-service bit it expects; in PIC mode (pin
 * masked) the vector from the guest's PIC programming is injected, unless the guest masked the
 * IRQ in the PIC. Returns false when the guest masked it everywhere. */
bool interrupts_raise_isa(struct vcpu *v, unsigned irq);

/* Backend hook (src/svm/): make the vCPU take external interrupt `vector` as soon as its
 * RFLAGS.IF allows. */
void vcpu_inject_external_interrupt(struct vcpu *v, uint8_t vector);

#endif
