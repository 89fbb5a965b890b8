/* SPDX-License-Identifier: MIT */
/* PCI configuration space through configuration mechanism #1 (ports 0xCF8/0xCFC), bus 0..255:
 * enough to find a device the firmware has already enumerated and to use its BARs. */
#ifndef PCI_PCI_H
#define PCI_PCI_H

#include <stdbool.h>
#include <stdint.h>

struct pci_address {
    uint8_t bus, device, function;
};

#define PCI_VENDOR_ID 0x00
#define PCI_DEVICE_ID 0x02
#define PCI_COMMAND 0x04
#define PCI_CLASS_REV 0x08
#define PCI_HEADER_TYPE 0x0E
#define PCI_BAR0 0x10

#define PCI_COMMAND_IO (1u << 0)
#define PCI_COMMAND_MEMORY (1u << 1)
#define PCI_COMMAND_BUS_MASTER (1u << 2)

uint32_t pci_read32(struct pci_address a, uint8_t offset);
uint16_t pci_read16(struct pci_address a, uint8_t offset);
void pci_write32(struct pci_address a, uint8_t offset, uint32_t value);
void pci_write16(struct pci_address a, uint8_t offset, uint16_t value);

/* Walks every bus/device/function and returns the first function accepted by `match` (called
 * with vendor, device and the 24-bit class code), in bus order. */
typedef bool (*pci_match)(uint16_t vendor, uint16_t device, uint32_t class_code);
bool pci_find(pci_match match, struct pci_address *out);

/* One base address register as the firmware assigned it. */
struct pci_bar {
    bool io;        /* I/O ports; otherwise memory */
    unsigned slots; /* 2 for a 64-bit memory BAR (the next register is its high half), else 1 */
    uint64_t base, size;
};

/* Reads and sizes BAR `index` (0-5; sized by the all-ones probe with decoding off, restored
 * after). False when it is unimplemented or unassigned; bar->slots is set either way. */
bool pci_bar(struct pci_address a, unsigned index, struct pci_bar *bar);

/* The expansion-ROM BAR (config offset 30h) of a type-0 header: its address, size and whether
 * its decoder is on. False when it is unimplemented or unassigned. */
struct pci_rom {
    uint32_t base, size;
    bool enabled;
};
bool pci_rom_bar(struct pci_address a, struct pci_rom *rom);
/* Turns the expansion ROM's decoder off (its address stays). */
void pci_rom_disable(struct pci_address a);

/* A memory BAR: its base address and size (sized by the all-ones probe, restored after). Returns
 * false for an I/O BAR or an unassigned one. 64-bit BARs take the next slot as the high half. */
bool pci_memory_bar(struct pci_address a, unsigned index, uint64_t *base, uint64_t *size);

/* Turns on memory decoding and bus mastering (the device may then DMA). */
void pci_enable_memory_and_bus_master(struct pci_address a);

#endif
