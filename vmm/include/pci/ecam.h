/* SPDX-License-Identifier: MIT */
/* The PCIe enhanced configuration window (ECAM, "MMCONFIG"), as the ACPI MCFG table describes
 * it: each function's 4 KiB of configuration space at base + bus << 20 | device << 15 |
 * function << 12. A guest on a PCIe chipset (q35, every current board) reaches configuration
 * space there as well as through ports CF8h/CFCh. Pure, host-tested (acpi_tables.h). */
#ifndef PCI_ECAM_H
#define PCI_ECAM_H

#include <stdbool.h>
#include <stdint.h>

#include "pci/pci.h"
#include "x86/acpi_tables.h"

#define ECAM_FUNCTION_BYTES 4096u

/* Physical address of function `a`'s configuration space in PCI segment 0; false when the
 * firmware describes no ECAM window covering its bus (a PCI chipset such as QEMU's pc). */
bool ecam_function_address(phys_read_fn read, void *ctx, uint16_t ebda_segment, struct pci_address a,
                           uint64_t *address);

#endif
