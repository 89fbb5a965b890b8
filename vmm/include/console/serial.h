/* SPDX-License-Identifier: MIT */
/* Polled 16550 UART output for the hypervisor's console (COM2 by default: the guest owns COM1). */
#ifndef CONSOLE_SERIAL_H
#define CONSOLE_SERIAL_H

#include <stdint.h>

void serial_init(uint16_t base_port);
void serial_write(const char *s, unsigned long len);

#endif
