/* SPDX-License-Identifier: MIT */
/* The PIC ports, intercepted only to watch initialisation: every access still reaches the real
 * 8259As, so the guest's view of its interrupt controllers is untouched. */
#include "console/log.h"
#include "io/io_ports.h"
#include "irq/interrupts.h"
#include "irq/pic_tracker.h"
#include "x86/cpu.h"

static struct pic_tracker tracker;

static uint32_t pic_read(void *ctx, uint16_t port, unsigned size) {
    (void)ctx;
    uint32_t value = 0;
    for (unsigned i = 0; i < size; i++) value |= (uint32_t)inb((uint16_t)(port + i)) << (8 * i);
    return value;
}

static void pic_write(void *ctx, uint16_t port, unsigned size, uint32_t value) {
    (void)ctx;
    for (unsigned i = 0; i < size; i++) {
        uint16_t p = (uint16_t)(port + i);
        uint8_t byte = (uint8_t)(value >> (8 * i));
        outb(p, byte);
        if (pic_tracker_write(&tracker, p, byte))
            log_printf("guest programmed the %s PIC: IRQ %u-%u at vectors %x-%x\n", (p & 0x80) ? "slave" : "master",
                       (p & 0x80) ? 8 : 0, (p & 0x80) ? 15 : 7, pic_tracker_vector(&tracker, (p & 0x80) ? 8 : 0),
                       pic_tracker_vector(&tracker, (p & 0x80) ? 15 : 7));
    }
}

static const struct io_port_handler pic_handler = {
    .name = "8259A PIC",
    .read = pic_read,
    .write = pic_write,
};

void interrupts_init(struct vcpu *v) {
    pic_tracker_reset(&tracker);
    io_ports_claim(v, 0x20, 2, &pic_handler);
    io_ports_claim(v, 0xA0, 2, &pic_handler);
}

uint8_t interrupts_pic_vector(unsigned irq) { return pic_tracker_vector(&tracker, irq); }
