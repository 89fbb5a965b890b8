/* SPDX-License-Identifier: MIT */
/* The guest's PCI configuration accesses (mechanism #1, ports CF8h-CFFh), intercepted for the
 * paper's device management: the hypervisor's NIC reads as an empty slot, and writes to watched
 * registers (the IDE controller's bus-master BAR) are reported after they reach the hardware.
 * Everything else passes through unchanged; byte and word accesses to CF8h-CFBh (CF9h is the
 * reset control register) go straight to the hardware. */
#ifndef PCI_PCI_CONFIG_FILTER_H
#define PCI_PCI_CONFIG_FILTER_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/cpu_backend.h"
#include "pci/pci.h"

/* Pure decoding of a configuration access: the CF8h address register and the data port used. */
struct pci_config_target {
    bool enabled; /* CF8h bit 31: the data ports reach configuration space */
    struct pci_address address;
    uint8_t offset; /* register byte offset the data port access starts at */
};
struct pci_config_target pci_config_decode(uint32_t cf8, uint16_t data_port);

typedef void (*pci_register_written)(void *ctx, struct pci_address a, uint8_t offset, uint32_t value_now);

void pci_config_filter_init(struct vcpu *v);
/* The function reads as absent (all ones) and ignores writes. */
void pci_config_hide(struct pci_address a);
/* After a guest write touching the dword at `offset` of `a`, calls `written` with its new value. */
void pci_config_watch(struct pci_address a, uint8_t offset, pci_register_written written, void *ctx);

#endif
