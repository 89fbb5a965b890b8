/* SPDX-License-Identifier: MIT */
#include "pci/pci_config_filter.h"

#include "console/log.h"
#include "io/io_ports.h"
#include "x86/cpu.h"

#define CONFIG_ADDRESS 0xCF8
#define CONFIG_DATA 0xCFC
#define MAX_HIDDEN 4
#define MAX_WATCHED 4

struct watch {
    struct pci_address address;
    uint8_t offset;
    pci_register_written written;
    void *ctx;
};

static uint32_t config_address;
static struct pci_address hidden[MAX_HIDDEN];
static unsigned hidden_count;
static struct watch watched[MAX_WATCHED];
static unsigned watched_count;

static bool same(struct pci_address a, struct pci_address b) {
    return a.bus == b.bus && a.device == b.device && a.function == b.function;
}

static bool is_hidden(struct pci_address a) {
    for (unsigned i = 0; i < hidden_count; i++)
        if (same(hidden[i], a)) return true;
    return false;
}

static uint32_t hw_in(uint16_t port, unsigned size) {
    return size == 1 ? inb(port) : size == 2 ? inw(port) : inl(port);
}

static void hw_out(uint16_t port, unsigned size, uint32_t value) {
    if (size == 1)
        outb(port, (uint8_t)value);
    else if (size == 2)
        outw(port, (uint16_t)value);
    else
        outl(port, value);
}

static uint32_t size_mask(unsigned size) { return size == 4 ? 0xFFFFFFFFu : (1u << (8 * size)) - 1; }

static uint32_t filter_read(void *ctx, uint16_t port, unsigned size) {
    (void)ctx;
    if (port == CONFIG_ADDRESS && size == 4) return config_address;
    if (port < CONFIG_DATA) return hw_in(port, size);
    struct pci_config_target t = pci_config_decode(config_address, port);
    if (t.enabled && is_hidden(t.address)) return size_mask(size);
    outl(CONFIG_ADDRESS, config_address);
    return hw_in(port, size);
}

static void filter_write(void *ctx, uint16_t port, unsigned size, uint32_t value) {
    (void)ctx;
    if (port == CONFIG_ADDRESS && size == 4) {
        config_address = value;
        outl(CONFIG_ADDRESS, value);
        return;
    }
    if (port < CONFIG_DATA) { /* e.g. CF9h, the reset control register */
        hw_out(port, size, value);
        return;
    }
    struct pci_config_target t = pci_config_decode(config_address, port);
    if (t.enabled && is_hidden(t.address)) return;
    outl(CONFIG_ADDRESS, config_address);
    hw_out(port, size, value);
    if (!t.enabled) return;
    for (unsigned i = 0; i < watched_count; i++) {
        struct watch *w = &watched[i];
        if (same(w->address, t.address) && (t.offset & ~3u) == w->offset)
            w->written(w->ctx, t.address, w->offset, pci_read32(t.address, w->offset));
    }
    outl(CONFIG_ADDRESS, config_address); /* pci_read32 moved the address register */
}

static const struct io_port_handler filter_handler = {
    .name = "PCI configuration",
    .read = filter_read,
    .write = filter_write,
};

void pci_config_filter_init(struct vcpu *v) {
    config_address = inl(CONFIG_ADDRESS);
    io_ports_claim(v, CONFIG_ADDRESS, 8, &filter_handler);
}

void pci_config_hide(struct pci_address a) {
    if (hidden_count == MAX_HIDDEN) panic("too many hidden PCI functions\n");
    hidden[hidden_count++] = a;
    log_printf("PCI %02x:%02x.%x hidden from the guest\n", a.bus, a.device, a.function);
}

void pci_config_watch(struct pci_address a, uint8_t offset, pci_register_written written, void *ctx) {
    if (watched_count == MAX_WATCHED) panic("too many watched PCI registers\n");
    watched[watched_count++] = (struct watch){ a, (uint8_t)(offset & ~3u), written, ctx };
}
