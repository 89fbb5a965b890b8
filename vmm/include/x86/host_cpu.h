/* SPDX-License-Identifier: MIT */
/* The hypervisor's own descriptor tables: a GDT at its virtual address, and an IDT whose
 * exception handlers print the fault and halt. The host takes external interrupts only inside
 * windows it opens to hand one to the guest, with a second IDT loaded; otherwise GIF stays 0. */
#ifndef X86_HOST_CPU_H
#define X86_HOST_CPU_H

#include <stdbool.h>
#include <stdint.h>

void host_cpu_init(void);

/* Loads the IDT whose every vector records an external interrupt (src/x86/host_interrupts.S), or
 * back the exception IDT. Only around a window that takes one interrupt. */
void host_idt_for_interrupts(bool on);

/* The vector of the external interrupt the last window took; the window's opener sets it to -1
 * first. */
extern volatile int64_t host_interrupt_vector;

#endif
