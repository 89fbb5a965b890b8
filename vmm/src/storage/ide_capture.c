/* SPDX-License-Identifier: MIT */
#include "storage/ide_capture.h"

#include "ata/ata_channel.h"
#include "console/log.h"
#include "guest/bios_services.h"
#include "hv/background.h"
#include "hv/guest_memory.h"
#include "io/io_ports.h"
#include "irq/interrupts.h"
#include "pci/pci.h"
#include "pci/pci_config_filter.h"
#include "storage/ide_bar.h"
#include "storage/ide_register_split.h"
#include "x86/cpu.h"

#define PRIMARY_COMMAND_BLOCK 0x1F0
#define PRIMARY_CONTROL 0x3F6
#define PRIMARY_IRQ 14
#define PCI_CLASS_IDE 0x0101u /* mass storage, IDE (any programming interface) */
#define PCI_BAR4 0x20         /* PIIX: bus-master I/O base */
#define BM_PRIMARY_PORTS 8
#define BM_STATUS_DMA_CAPABLE 0x60 /* drive 0/1 DMA capable: set by the firmware */

static struct ata_channel channel; /* ~130 KiB with its sector buffer: never on a stack */
static struct vcpu *capture_vcpu;
static uint16_t bm_base; /* 0 while the BAR holds no usable I/O address */

static enum ata_port channel_port(uint16_t port) {
    if (port >= PRIMARY_COMMAND_BLOCK && port < PRIMARY_COMMAND_BLOCK + 8)
        return (enum ata_port)(port - PRIMARY_COMMAND_BLOCK);
    if (port == PRIMARY_CONTROL) return ATA_PORT_ALT_STATUS_DEVICE_CONTROL;
    return (enum ata_port)(ATA_PORT_BM_COMMAND + (port - bm_base));
}

/* A command the backend left PENDING runs on while the guest does: from the next exit on, the
 * background work polls it (disk_turn). */
static void follow_backend(void) {
    if (ata_backend_busy(&channel)) background_wake(capture_vcpu);
}

static bool disk_turn(void *ctx) {
    (void)ctx;
    if (!ata_backend_busy(&channel)) return false;
    enum ata_backend_outcome outcome = channel.backend.poll(channel.backend.ctx);
    if (outcome != ATA_BACKEND_PENDING) ata_channel_backend_done(&channel, outcome == ATA_BACKEND_DONE);
    return ata_backend_busy(&channel); /* the transfer's next chunk may be on its way already */
}

/* Status reads in a row while a command is in flight after which the guest counts as polling (the
 * BIOS and the boot loaders do; Linux reads the status once after issuing, then waits for IRQ 14):
 * the command is then finished inside this exit, not one turn per read. */
#define POLLING_STATUS_READS 8

static unsigned busy_status_reads;

static void finish_for_polling_guest(enum ata_port p) {
    if (p != ATA_PORT_STATUS_COMMAND && p != ATA_PORT_ALT_STATUS_DEVICE_CONTROL) return;
    if (!ata_backend_busy(&channel)) {
        busy_status_reads = 0;
        return;
    }
    if (++busy_status_reads < POLLING_STATUS_READS) return;
    busy_status_reads = 0;
    background_finish(capture_vcpu);
}

static uint32_t port_read(void *ctx, uint16_t port, unsigned size) {
    (void)ctx;
    finish_for_polling_guest(channel_port(port));
    uint32_t value = ata_channel_read(&channel, channel_port(port), size);
    follow_backend(); /* a PIO read of a chunk's last word fetches the next chunk */
    return value;
}

/* Logged at the 1st, 2nd, 4th, ... answer: a guest may retry its revalidation many times. */
static void report_unreachable_answers(uint32_t before, uint8_t opcode) {
    uint32_t now = channel.unreachable_answers;
    if (now == before || (now & (now - 1)) != 0) return;
    log_printf("IDE: the network disk is unreachable: command %x answered from the hypervisor's copy of its "
               "IDENTIFY data (%u so far)\n",
               opcode, now);
}

static void port_write(void *ctx, uint16_t port, unsigned size, uint32_t value) {
    (void)ctx;
    uint32_t answered = channel.unreachable_answers;
    busy_status_reads = 0;
    ata_channel_write(&channel, channel_port(port), value, size);
    report_unreachable_answers(answered, (uint8_t)value);
    follow_backend();
}

/* REP INSW/OUTSW on the data port: a whole sector (or DRQ block) in one exit. */
static size_t data_read_string(void *ctx, uint16_t port, unsigned size, uint8_t *buf, size_t count) {
    (void)ctx;
    (void)port;
    size_t moved = ata_channel_data_in(&channel, buf, count * size) / size;
    follow_backend();
    return moved;
}

static size_t data_write_string(void *ctx, uint16_t port, unsigned size, const uint8_t *buf, size_t count) {
    (void)ctx;
    (void)port;
    size_t moved = ata_channel_data_out(&channel, buf, count * size) / size;
    follow_backend();
    return moved;
}

/* The data port moves sector data, so it also takes string I/O in bulk; the other registers
 * take (rare) string I/O one unit at a time through read/write. */
static const struct io_port_handler data_port_handler = {
    .name = "primary IDE data port (AoE)",
    .read = port_read,
    .write = port_write,
    .read_string = data_read_string,
    .write_string = data_write_string,
    .data_register = true, /* 32-bit PIO moves data, also when 1F2h-1F3h pass through (ata_regs=split) */
};

static const struct io_port_handler register_handler = {
    .name = "primary IDE registers (AoE)",
    .read = port_read,
    .write = port_write,
};

static uint8_t real_inb(void *ctx, uint16_t port) {
    (void)ctx;
    return inb(port);
}

static void real_outb(void *ctx, uint16_t port, uint8_t value) {
    (void)ctx;
    outb(port, value);
}

static struct ide_ports real_ports = { NULL, PRIMARY_COMMAND_BLOCK, PRIMARY_CONTROL, real_inb, real_outb };

/* The paper's split: Features/Error, Device and Command/Status trapped, Sector Count and LBA
 * (1F2h-1F5h) left to the device behind them. Without a device there, the whole block is trapped. */
static void claim_task_file(struct vcpu *v, bool split_registers) {
    if (split_registers && ide_register_split_probe(&real_ports)) {
        ata_channel_split_registers(&channel, ide_register_split_device(&real_ports));
        io_ports_claim(v, PRIMARY_COMMAND_BLOCK + 1, 1, &register_handler);
        io_ports_claim(v, PRIMARY_COMMAND_BLOCK + 6, 2, &register_handler);
        log_printf("IDE: ata_regs=split: sector count and LBA (1f2-1f5) stay with the device behind the channel\n");
        return;
    }
    if (split_registers)
        log_printf("IDE: ata_regs=split needs a device behind the primary channel that holds what is written to "
                   "1f2-1f5; none does, so the whole task file is trapped\n");
    io_ports_claim(v, PRIMARY_COMMAND_BLOCK + 1, 7, &register_handler);
}

static void set_irq_level(void *ctx, bool asserted) {
    (void)ctx;
    if (asserted) interrupts_raise_isa(capture_vcpu, PRIMARY_IRQ); /* ISA IRQ 14 is edge-triggered */
}

/* The emulated bus master reaches guest RAM only: a PRD region in device memory (the hidden
 * NIC's registers), firmware or the hypervisor ends the transfer with an error, as a master
 * abort would. */
static bool dma_allowed(uint64_t gpa, size_t len, const char *direction) {
    if (guest_ram_covers(gpa, len)) return true;
    static bool reported;
    if (!reported)
        log_printf("IDE bus master: DMA %s %lx-%lx outside guest RAM refused\n", direction, gpa, gpa + len - 1);
    reported = true;
    return false;
}

static bool memory_read(void *ctx, uint64_t gpa, void *buf, size_t len) {
    (void)ctx;
    return dma_allowed(gpa, len, "from") && guest_phys_read(gpa, buf, len);
}

static bool memory_write(void *ctx, uint64_t gpa, const void *buf, size_t len) {
    (void)ctx;
    return dma_allowed(gpa, len, "to") && guest_phys_write(gpa, buf, len);
}

static void claim_bus_master(uint32_t bar) {
    if (bm_base) io_ports_release(capture_vcpu, bm_base);
    bm_base = ide_bus_master_base(bar);
    if (bm_base) io_ports_claim(capture_vcpu, bm_base, BM_PRIMARY_PORTS, &register_handler);
}

static void bar4_written(void *ctx, struct pci_address a, uint8_t offset, uint32_t value) {
    (void)ctx;
    (void)a;
    (void)offset;
    uint16_t old = bm_base;
    claim_bus_master(value);
    if (bm_base != old && bm_base) log_printf("IDE bus-master registers moved to %x\n", bm_base);
}

static bool is_ide(uint16_t vendor, uint16_t device, uint32_t class_code) {
    (void)vendor;
    (void)device;
    return class_code >> 8 == PCI_CLASS_IDE;
}

bool ide_capture_init(struct vcpu *v, struct ata_backend backend, bool split_registers) {
    struct pci_address ide;
    if (!pci_find(is_ide, &ide)) {
        log_printf("no IDE controller: the network disk has nowhere to appear\n");
        return false;
    }
    capture_vcpu = v;
    struct ata_guest_memory memory = { .read = memory_read, .write = memory_write };
    struct ata_irq irq = { .set_level = set_irq_level };
    ata_channel_init(&channel, backend, memory, irq);
    if (backend.poll) background_register(disk_turn, 0);

    io_ports_claim(v, PRIMARY_COMMAND_BLOCK, 1, &data_port_handler);
    claim_task_file(v, split_registers);
    io_ports_claim(v, PRIMARY_CONTROL, 1, &register_handler);
    uint32_t bar = pci_read32(ide, PCI_BAR4);
    uint8_t capable = bar & 1 ? (uint8_t)(inb((uint16_t)((bar & 0xFFFC) + 2)) & BM_STATUS_DMA_CAPABLE) : 0;
    claim_bus_master(bar);
    ata_channel_write(&channel, ATA_PORT_BM_STATUS, capable, 1);
    pci_config_watch(ide, PCI_BAR4, bar4_written, 0);
    log_printf(
        "IDE %02x:%02x.%x primary channel captured (ports 1f0-1f7, 3f6, bus master %x): its disk is the AoE target\n",
        ide.bus, ide.device, ide.function, bm_base);
    return true;
}
