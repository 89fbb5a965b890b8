/* SPDX-License-Identifier: MIT */
/* Follows the guest's programming of the two 8259A PICs to learn the vector each ISA IRQ is
 * delivered on (the paper's interrupt management module: before the OS starts, the BIOS mapping;
 * afterwards whatever the OS's ICW2 said). Pure: fed the bytes the guest writes. */
#ifndef IRQ_PIC_TRACKER_H
#define IRQ_PIC_TRACKER_H

#include <stdbool.h>
#include <stdint.h>

enum pic_init_step { PIC_READY, PIC_WANT_ICW2, PIC_WANT_ICW3, PIC_WANT_ICW4 };

struct pic_chip {
    enum pic_init_step step;
    bool single;         /* ICW1 SNGL: no ICW3 follows */
    bool icw4;           /* ICW1 IC4: ICW4 follows */
    uint8_t vector_base; /* ICW2, bits 7:3 */
};

struct pic_tracker {
    struct pic_chip master, slave;
};

/* The state the BIOS leaves: IRQ 0-7 at vectors 08h-0Fh, IRQ 8-15 at 70h-77h. */
void pic_tracker_reset(struct pic_tracker *t);

/* One byte the guest wrote to port 20h, 21h, A0h or A1h. Returns true when it completed an
 * initialisation sequence (the vector base may have changed). */
bool pic_tracker_write(struct pic_tracker *t, uint16_t port, uint8_t value);

/* The vector ISA IRQ `irq` (0-15) is delivered on. */
uint8_t pic_tracker_vector(const struct pic_tracker *t, unsigned irq);

#endif
