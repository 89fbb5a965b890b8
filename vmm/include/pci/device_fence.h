/* SPDX-License-Identifier: MIT */
/* Fencing a PCI function the guest must not reach (the hypervisor's NIC). Hiding its
 * configuration space (pci_config_hide) is not enough: its BARs stay where the firmware put
 * them, and a guest that knows the address could rewrite the NIC's ring addresses and make it
 * DMA into the hypervisor. Fenced, each memory BAR shows the guest a read-only page of all ones
 * (nested paging), and each I/O BAR's ports read all ones and ignore writes: what a PC with an
 * empty slot shows. Dropped writes are counted and logged, the first and then at every power of
 * two. The expansion ROM's decoder is turned off and its address fenced the same way; on a PCIe
 * chipset the function's configuration space in the ECAM window reads as absent (all ones, so
 * vendor FFFFh). Not covered: a guest that moves the ECAM window itself (a chipset register). */
#ifndef PCI_DEVICE_FENCE_H
#define PCI_DEVICE_FENCE_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/cpu_backend.h"
#include "pci/pci.h"

/* Fences every assigned BAR of `a`. Before the guest first runs. */
void device_fence_pci_function(struct vcpu *v, struct pci_address a);

/* Fences the 4 KiB of `a`'s configuration space at `address` in the ECAM window. */
void device_fence_config_space(struct pci_address a, uint64_t address);

/* For a guest write that faulted in nested paging at `gpa`: true when it hit a fenced BAR (the
 * write is counted; the caller skips the instruction), false when it did not. */
bool device_fence_dropped_write(uint64_t gpa);

#endif
