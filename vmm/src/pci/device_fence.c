/* SPDX-License-Identifier: MIT */
#include "pci/device_fence.h"

#include "console/log.h"
#include "io/io_ports.h"
#include "lib/string.h"
#include "mm/npt.h"
#include "mm/pages.h"
#include "pci/ecam.h"

#define MAX_FENCED_RANGES 8

static struct fenced_range { uint64_t base, size; } fenced[MAX_FENCED_RANGES];
static unsigned fenced_count;
static uint64_t all_ones_page_pa;
static uint64_t dropped_writes;

static void count_dropped_write(const char *where, uint64_t address) {
    dropped_writes++;
    if (dropped_writes & (dropped_writes - 1)) return; /* log the 1st, 2nd, 4th, ... */
    log_printf("fence: guest write to the hidden device at %s %lx dropped (%lu so far)\n", where, address,
               dropped_writes);
}

static uint32_t fenced_port_read(void *ctx, uint16_t port, unsigned size) {
    (void)ctx;
    (void)port;
    return size == 4 ? 0xFFFFFFFFu : (1u << (8 * size)) - 1;
}

static void fenced_port_write(void *ctx, uint16_t port, unsigned size, uint32_t value) {
    (void)ctx;
    (void)size;
    (void)value;
    count_dropped_write("port", port);
}

static const struct io_port_handler fenced_ports = {
    .name = "fenced device",
    .read = fenced_port_read,
    .write = fenced_port_write,
};

static void fence_memory(uint64_t base, uint64_t size) {
    if (fenced_count == MAX_FENCED_RANGES) panic("too many fenced memory BARs\n");
    if (!all_ones_page_pa) {
        void *page = pool_alloc_pages(&hv_pages, 1);
        memset(page, 0xFF, PAGE_SIZE);
        all_ones_page_pa = pool_virt_to_phys(page);
    }
    /* BARs are at least 16 bytes; one smaller than a page still owns its page (PCI rules). */
    uint64_t first = base & ~(uint64_t)(PAGE_SIZE - 1);
    uint64_t end = (base + size + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
    for (uint64_t gpa = first; gpa < end; gpa += PAGE_SIZE) npt_map_read_only(gpa, all_ones_page_pa);
    fenced[fenced_count++] = (struct fenced_range){ first, end - first };
}

/* The hypervisor has no use for the device's expansion ROM: its decoder goes off, and the
 * address the firmware gave it is fenced like a BAR, so the guest reads an empty range there. */
static void fence_rom(struct pci_address a) {
    struct pci_rom rom;
    if (!pci_rom_bar(a, &rom)) return;
    if (rom.enabled) pci_rom_disable(a);
    fence_memory(rom.base, rom.size);
    log_printf("PCI %02x:%02x.%x expansion ROM: memory %x-%x fenced (decoder %s)\n", a.bus, a.device, a.function,
               rom.base, rom.base + rom.size - 1, rom.enabled ? "turned off" : "was off");
}

void device_fence_pci_function(struct vcpu *v, struct pci_address a) {
    for (unsigned index = 0; index < 6;) {
        struct pci_bar bar;
        bool assigned = pci_bar(a, index, &bar);
        if (assigned && bar.io) {
            io_ports_claim(v, (uint16_t)bar.base, (uint16_t)bar.size, &fenced_ports);
            log_printf("PCI %02x:%02x.%x BAR%u: ports %lx-%lx fenced (read all ones, writes dropped)\n", a.bus,
                       a.device, a.function, index, bar.base, bar.base + bar.size - 1);
        } else if (assigned) {
            fence_memory(bar.base, bar.size);
            log_printf("PCI %02x:%02x.%x BAR%u: memory %lx-%lx fenced (read all ones, writes dropped)\n", a.bus,
                       a.device, a.function, index, bar.base, bar.base + bar.size - 1);
        }
        index += bar.slots;
    }
    fence_rom(a);
}

void device_fence_config_space(struct pci_address a, uint64_t address) {
    fence_memory(address, ECAM_FUNCTION_BYTES);
    log_printf("PCI %02x:%02x.%x configuration space at %lx (ECAM) fenced: the function reads as absent\n", a.bus,
               a.device, a.function, address);
}

bool device_fence_dropped_write(uint64_t gpa) {
    for (unsigned i = 0; i < fenced_count; i++) {
        if (gpa - fenced[i].base < fenced[i].size) {
            count_dropped_write("address", gpa);
            return true;
        }
    }
    return false;
}
