/* Interrupt management: where the guest wants each ISA IRQ delivered. */
#ifndef IRQ_INTERRUPTS_H
#define IRQ_INTERRUPTS_H

#include "hv/vcpu.h"

/* Starts following the guest's PIC programming (intercepts writes to ports 20h/21h/A0h/A1h and
 * passes every access on to the real PICs). */
void interrupts_init(struct vcpu *v);

/* The vector the guest's PIC setup assigns to ISA IRQ `irq`. */
uint8_t interrupts_pic_vector(unsigned irq);

#endif
