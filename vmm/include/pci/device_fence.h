/* SPDX-License-Identifier: MIT */
/* Fencing a PCI function the guest must not reach (the hypervisor's NIC). Hiding its
 * configuration space (pci_config_hide) is not enough: its BARs stay where the firmware put
 * them, and a guest that knows the address could rewrite the NIC's ring addresses and make it
 * DMA into the hypervisor. Fenced, each memory BAR shows the guest a read-only page of all ones
 * (nested paging), and each I/O BAR's ports read all ones and ignore writes: what a PC with an
 * empty slot shows. Dropped writes are counted and logged, the first and then at every power of
 * two. Not covered: PCIe MMCONFIG (the function's configuration space through the ECAM window)
 * and its expansion ROM BAR. */
#ifndef PCI_DEVICE_FENCE_H
#define PCI_DEVICE_FENCE_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/cpu_backend.h"
#include "pci/pci.h"

/* Fences every assigned BAR of `a`. Before the guest first runs. */
void device_fence_pci_function(struct vcpu *v, struct pci_address a);

/* For a guest write that faulted in nested paging at `gpa`: true when it hit a fenced BAR (the
 * write is counted; the caller skips the instruction), false when it did not. */
bool device_fence_dropped_write(uint64_t gpa);

#endif
