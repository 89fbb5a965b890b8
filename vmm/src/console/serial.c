/* SPDX-License-Identifier: MIT */
#include "console/serial.h"

#include "x86/cpu.h"

enum {
    UART_DATA = 0,
    UART_IER = 1,
    UART_FCR = 2,
    UART_LCR = 3,
    UART_MCR = 4,
    UART_LSR = 5,
    LCR_DLAB = 0x80,
    LCR_8N1 = 0x03,
    LSR_THR_EMPTY = 0x20,
};

static uint16_t uart_port;

void serial_init(uint16_t base_port) {
    uart_port = base_port;
    outb(base_port + UART_IER, 0); /* polled: never interrupt the guest on our behalf */
    outb(base_port + UART_LCR, LCR_DLAB);
    outb(base_port + UART_DATA, 1); /* divisor 1: 115200 baud */
    outb(base_port + UART_IER, 0);
    outb(base_port + UART_LCR, LCR_8N1);
    outb(base_port + UART_FCR, 0x07); /* enable and clear FIFOs */
    outb(base_port + UART_MCR, 0x03); /* DTR, RTS */
}

static void put_char(char c) {
    /* Bounded wait: a missing UART must not hang the hypervisor. */
    for (unsigned spins = 0; spins < 100000 && !(inb(uart_port + UART_LSR) & LSR_THR_EMPTY); spins++) cpu_relax();
    outb(uart_port + UART_DATA, (uint8_t)c);
}

void serial_write(const char *s, unsigned long len) {
    if (!uart_port) return;
    for (unsigned long i = 0; i < len; i++) {
        if (s[i] == '\n') put_char('\r');
        put_char(s[i]);
    }
}
