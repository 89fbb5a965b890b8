/* SPDX-License-Identifier: MIT */
#include "pci/pci.h"

#include "x86/cpu.h"

#define PCI_CONFIG_ADDRESS 0xCF8
#define PCI_CONFIG_DATA 0xCFC
#define PCI_ENABLE (1u << 31)

#define BAR_IO (1u << 0)
#define BAR_TYPE_MASK (3u << 1)
#define BAR_TYPE_64 (2u << 1)
#define BAR_MEM_MASK 0xFFFFFFF0u
#define BAR_IO_MASK 0xFFFFFFFCu
#define PCI_ROM_BAR 0x30
#define ROM_ENABLE (1u << 0)
#define ROM_ADDRESS_MASK 0xFFFFF800u

static void select_register(struct pci_address a, uint8_t offset) {
    outl(PCI_CONFIG_ADDRESS,
         PCI_ENABLE | (uint32_t)a.bus << 16 | (uint32_t)(a.device & 31) << 11 | (uint32_t)(a.function & 7) << 8 |
             (offset & 0xFC));
}

uint32_t pci_read32(struct pci_address a, uint8_t offset) {
    select_register(a, offset);
    return inl(PCI_CONFIG_DATA);
}

uint16_t pci_read16(struct pci_address a, uint8_t offset) {
    select_register(a, offset);
    return inw((uint16_t)(PCI_CONFIG_DATA + (offset & 2)));
}

void pci_write32(struct pci_address a, uint8_t offset, uint32_t value) {
    select_register(a, offset);
    outl(PCI_CONFIG_DATA, value);
}

void pci_write16(struct pci_address a, uint8_t offset, uint16_t value) {
    select_register(a, offset);
    outw((uint16_t)(PCI_CONFIG_DATA + (offset & 2)), value);
}

bool pci_find(pci_match match, struct pci_address *out) {
    for (unsigned bus = 0; bus < 256; bus++) {
        for (unsigned device = 0; device < 32; device++) {
            for (unsigned function = 0; function < 8; function++) {
                struct pci_address a = { (uint8_t)bus, (uint8_t)device, (uint8_t)function };
                uint16_t vendor = pci_read16(a, PCI_VENDOR_ID);
                if (vendor == 0xFFFF) {
                    if (function == 0) break; /* no device in this slot */
                    continue;
                }
                if (match(vendor, pci_read16(a, PCI_DEVICE_ID), pci_read32(a, PCI_CLASS_REV) >> 8)) {
                    *out = a;
                    return true;
                }
                /* Functions 1-7 exist only on multi-function devices (header type bit 7). */
                if (function == 0 && !(pci_read16(a, PCI_HEADER_TYPE) & 0x80)) break;
            }
        }
    }
    return false;
}

/* Writes all ones to the BAR at `offset` and reads back which bits stick, restoring it after. */
static uint32_t size_probe(struct pci_address a, uint8_t offset) {
    uint32_t saved = pci_read32(a, offset);
    pci_write32(a, offset, 0xFFFFFFFFu);
    uint32_t mask = pci_read32(a, offset);
    pci_write32(a, offset, saved);
    return mask;
}

bool pci_bar(struct pci_address a, unsigned index, struct pci_bar *bar) {
    uint8_t offset = (uint8_t)(PCI_BAR0 + 4 * index);
    uint32_t low = pci_read32(a, offset);
    bool io = low & BAR_IO;
    bool is64 = !io && (low & BAR_TYPE_MASK) == BAR_TYPE_64 && index < 5;
    uint32_t high = is64 ? pci_read32(a, (uint8_t)(offset + 4)) : 0;

    /* Sizing writes all ones; decoding must be off meanwhile, or the BAR briefly claims the top
     * of the address space. */
    uint16_t command = pci_read16(a, PCI_COMMAND);
    pci_write16(a, PCI_COMMAND, (uint16_t)(command & ~(PCI_COMMAND_MEMORY | PCI_COMMAND_IO)));
    uint64_t mask = size_probe(a, offset) & (io ? BAR_IO_MASK : BAR_MEM_MASK);
    if (io)
        mask |= 0xFFFFFFFFFFFF0000ull; /* I/O BARs decode 16 address bits on x86 */
    else if (is64)
        mask |= (uint64_t)size_probe(a, (uint8_t)(offset + 4)) << 32;
    else
        mask |= 0xFFFFFFFF00000000ull;
    pci_write16(a, PCI_COMMAND, command);

    bar->io = io;
    bar->slots = is64 ? 2 : 1;
    bar->base = ((uint64_t)high << 32) | (low & (io ? BAR_IO_MASK : BAR_MEM_MASK));
    bar->size = ~mask + 1;
    return bar->base != 0 && (uint32_t)mask != 0;
}

bool pci_rom_bar(struct pci_address a, struct pci_rom *rom) {
    /* Sized with the enable bit clear, so the ROM never decodes at the probe's address. */
    uint32_t value = pci_read32(a, PCI_ROM_BAR);
    pci_write32(a, PCI_ROM_BAR, ROM_ADDRESS_MASK);
    uint32_t mask = pci_read32(a, PCI_ROM_BAR) & ROM_ADDRESS_MASK;
    pci_write32(a, PCI_ROM_BAR, value);
    rom->base = value & ROM_ADDRESS_MASK;
    rom->size = ~mask + 1;
    rom->enabled = value & ROM_ENABLE;
    return rom->base != 0 && mask != 0;
}

void pci_rom_disable(struct pci_address a) { pci_write32(a, PCI_ROM_BAR, pci_read32(a, PCI_ROM_BAR) & ~ROM_ENABLE); }

bool pci_memory_bar(struct pci_address a, unsigned index, uint64_t *base, uint64_t *size) {
    struct pci_bar bar;
    if (!pci_bar(a, index, &bar) || bar.io) return false;
    *base = bar.base;
    *size = bar.size;
    return true;
}

void pci_enable_memory_and_bus_master(struct pci_address a) {
    uint16_t command = pci_read16(a, PCI_COMMAND);
    pci_write16(a, PCI_COMMAND, (uint16_t)(command | PCI_COMMAND_MEMORY | PCI_COMMAND_BUS_MASTER));
}
