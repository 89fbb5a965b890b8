/* SPDX-License-Identifier: MIT */
/* The hypervisor's own descriptor tables: a GDT at its virtual address, and an IDT whose
 * exception handlers print the fault and halt (the host never takes interrupts: GIF stays 0). */
#ifndef X86_HOST_CPU_H
#define X86_HOST_CPU_H

void host_cpu_init(void);

#endif
