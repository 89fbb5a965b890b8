/* SPDX-License-Identifier: MIT */
/* Claiming I/O ports for emulation, and executing intercepted port accesses on the guest's behalf
 * (string forms included: one exit moves a whole REP INS/OUTS). */
#ifndef IO_IO_PORTS_H
#define IO_IO_PORTS_H

#include "hv/cpu_backend.h"
#include "io/io_exit.h"

/* Routes accesses to [first, first + count) to `handler` and makes the CPU exit on them. */
void io_ports_claim(struct vcpu *v, uint16_t first, uint16_t count, const struct io_port_handler *handler);

/* Stops routing the range claimed at `first` (exactly as claimed) and lets it pass through. */
void io_ports_release(struct vcpu *v, uint16_t first);

/* Executes the access: calls the handler, moves data between it and the guest's registers or
 * memory, updates rCX/rSI/rDI, and resumes the guest after the instruction. */
void io_exit_handle(struct vcpu *v, const struct io_exit *e);

#endif
