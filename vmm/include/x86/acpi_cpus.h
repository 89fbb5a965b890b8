/* SPDX-License-Identifier: MIT */
/* Counts the processors the firmware describes in the ACPI MADT, so the hypervisor can refuse to
 * start when other CPUs could be woken by the guest and run unvirtualised. Pure: physical memory
 * is read through a callback, so it is tested on the host with synthetic tables. */
#ifndef X86_ACPI_CPUS_H
#define X86_ACPI_CPUS_H

#include "x86/acpi_tables.h"

enum acpi_cpus_result {
    ACPI_CPUS_OK,      /* *count is the number of enabled or online-capable processors */
    ACPI_CPUS_NO_RSDP, /* no ACPI: a legacy uniprocessor PC */
    ACPI_CPUS_NO_MADT,
    ACPI_CPUS_BAD_TABLE, /* a checksum or length is wrong */
};

/* `ebda_segment` is the word at 0x40E of the BIOS data area. */
enum acpi_cpus_result acpi_count_cpus(phys_read_fn read, void *ctx, uint16_t ebda_segment, unsigned *count);

#endif
