/* SPDX-License-Identifier: MIT */
/* Pure decoding of a PCI configuration access through mechanism #1. */
#include "pci/pci_config_filter.h"

#define CONFIG_ENABLE (1u << 31)

struct pci_config_target pci_config_decode(uint32_t cf8, uint16_t data_port) {
    return (struct pci_config_target){
        .enabled = cf8 & CONFIG_ENABLE,
        .address = { (uint8_t)(cf8 >> 16), (uint8_t)(cf8 >> 11 & 0x1F), (uint8_t)(cf8 >> 8 & 7) },
        .offset = (uint8_t)((cf8 & 0xFC) + (data_port & 3)),
    };
}
