/* SPDX-License-Identifier: MIT */
#include "irq/pic_tracker.h"

#define ICW1_INIT 0x10
#define ICW1_IC4 0x01
#define ICW1_SNGL 0x02

void pic_tracker_reset(struct pic_tracker *t) {
    t->master = (struct pic_chip){ PIC_READY, false, true, 0x08 };
    t->slave = (struct pic_chip){ PIC_READY, false, true, 0x70 };
}

static bool command_write(struct pic_chip *chip, uint8_t value) {
    if (!(value & ICW1_INIT)) return false; /* OCW2/OCW3: EOIs, ISR/IRR reads: no vector change */
    chip->step = PIC_WANT_ICW2;
    chip->single = value & ICW1_SNGL;
    chip->icw4 = value & ICW1_IC4;
    return false;
}

static bool finish(struct pic_chip *chip) {
    chip->step = PIC_READY;
    return true;
}

static bool data_write(struct pic_chip *chip, uint8_t value) {
    switch (chip->step) {
    case PIC_WANT_ICW2:
        chip->vector_base = value & 0xF8;
        if (!chip->single)
            chip->step = PIC_WANT_ICW3;
        else if (chip->icw4)
            chip->step = PIC_WANT_ICW4;
        else
            return finish(chip);
        return false;
    case PIC_WANT_ICW3:
        if (chip->icw4) {
            chip->step = PIC_WANT_ICW4;
            return false;
        }
        return finish(chip);
    case PIC_WANT_ICW4: return finish(chip);
    case PIC_READY: break; /* OCW1: the interrupt mask */
    }
    return false;
}

bool pic_tracker_write(struct pic_tracker *t, uint16_t port, uint8_t value) {
    struct pic_chip *chip = (port & 0x80) ? &t->slave : &t->master;
    return (port & 1) ? data_write(chip, value) : command_write(chip, value);
}

uint8_t pic_tracker_vector(const struct pic_tracker *t, unsigned irq) {
    const struct pic_chip *chip = irq < 8 ? &t->master : &t->slave;
    return (uint8_t)(chip->vector_base + (irq & 7));
}
