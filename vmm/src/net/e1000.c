/* SPDX-License-Identifier: MIT */
#include "net/e1000.h"

#include <stddef.h>
#include <stdint.h>

#include "console/log.h"
#include "lib/string.h"
#include "mm/pages.h"
#include "x86/cpu.h"
#include "x86/tsc.h"

/* Registers (byte offsets into BAR0), from the 8254x developer's manual; the 82574L (PCIe,
 * driven by Linux's e1000e) keeps them at the same offsets, with the legacy descriptors below. */
enum {
    REG_CTRL = 0x0000,
    REG_STATUS = 0x0008,
    REG_EERD = 0x0014,
    REG_ICR = 0x00C0,
    REG_IMC = 0x00D8,
    REG_RCTL = 0x0100,
    REG_TCTL = 0x0400,
    REG_TIPG = 0x0410,
    REG_RDBAL = 0x2800,
    REG_RDBAH = 0x2804,
    REG_RDLEN = 0x2808,
    REG_RDH = 0x2810,
    REG_RDT = 0x2818,
    REG_TDBAL = 0x3800,
    REG_TDBAH = 0x3804,
    REG_TDLEN = 0x3808,
    REG_TDH = 0x3810,
    REG_TDT = 0x3818,
    REG_MTA = 0x5200,
    REG_RAL0 = 0x5400,
    REG_RAH0 = 0x5404,
};
#define MTA_ENTRIES 128

#define CTRL_ASDE (1u << 5)
#define CTRL_SLU (1u << 6)
#define CTRL_RST (1u << 26)
#define STATUS_LU (1u << 1)
#define EERD_START (1u << 0)
#define RAH_AV (1u << 31)
#define RCTL_EN (1u << 1)
#define RCTL_LPE (1u << 5)
#define RCTL_BAM (1u << 15)
#define RCTL_BSIZE_16K_WITH_BSEX (1u << 16)
#define RCTL_BSEX (1u << 25)
#define RCTL_SECRC (1u << 26)
#define TCTL_EN (1u << 1)
#define TCTL_PSP (1u << 3)
#define TCTL_CT_SHIFT 4
#define TCTL_COLD_SHIFT 12
/* Inter-packet gap for copper (IPGT 10, IPGR1 8, IPGR2 6). */
#define TIPG_COPPER 0x0060200Au

#define TX_CMD_EOP 0x01
#define TX_CMD_IFCS 0x02
#define TX_CMD_RS 0x08
#define DESC_DD 0x01
#define RX_EOP 0x02

struct legacy_tx_desc {
    uint64_t address;
    uint16_t length;
    uint8_t cso, cmd, status, css;
    uint16_t special;
};

struct legacy_rx_desc {
    uint64_t address;
    uint16_t length, checksum;
    uint8_t status, errors;
    uint16_t special;
};

/* 64 descriptors of 16 bytes: one page per ring, a multiple of 128 bytes as the NIC requires,
 * and room for a whole AoE window (AOE_MAX_WINDOW) of requests sent back to back. */
#define RING_SIZE 64u

struct e1000 {
    struct nic nic;
    const struct e1000_model *model;
    volatile uint8_t *regs;
    volatile struct legacy_tx_desc *tx;
    volatile struct legacy_rx_desc *rx;
    uint8_t *tx_buffers, *rx_buffers;
    size_t tx_buffer_size, rx_buffer_size;
    unsigned tx_tail;     /* next descriptor to fill */
    unsigned tx_clean;    /* oldest descriptor the hardware may still own */
    bool tx_due;          /* frames queued since the last doorbell */
    unsigned rx_next;     /* next descriptor to look at */
    unsigned rx_returned; /* the last emptied descriptor, for RDT at the next doorbell */
    bool rx_due;
    unsigned long rx_dropped;
};

/* The parts this driver binds. They differ here only in the EEPROM read register's layout. */
struct e1000_model {
    uint16_t device_id;
    const char *name;
    uint32_t eerd_done;
    unsigned eerd_address_shift;
};

static const struct e1000_model models[] = {
    { 0x100E, "82540EM", 1u << 4, 8 }, /* QEMU's e1000 */
    { 0x100F, "82545EM", 1u << 4, 8 }, /* QEMU's e1000-82545em */
    { 0x10D3, "82574L", 1u << 1, 2 },  /* QEMU's e1000e; a common PCIe PRO/1000 card */
};

static const struct e1000_model *model_of(uint16_t device_id) {
    for (size_t i = 0; i < sizeof models / sizeof models[0]; i++) {
        if (models[i].device_id == device_id) return &models[i];
    }
    return NULL;
}

static struct e1000 device;

static uint32_t reg_read(const struct e1000 *e, unsigned reg) { return *(volatile uint32_t *)(e->regs + reg); }
static void reg_write(struct e1000 *e, unsigned reg, uint32_t v) { *(volatile uint32_t *)(e->regs + reg) = v; }
static void compiler_barrier(void) { __asm__ volatile("" ::: "memory"); }

static void delay_us(uint64_t us) {
    uint64_t end = rdtsc() + tsc_from_us(us);
    while (rdtsc() < end) cpu_relax();
}

static bool supported(uint16_t vendor, uint16_t device_id, uint32_t class_code) {
    (void)class_code;
    return vendor == 0x8086 && model_of(device_id) != NULL;
}

static bool eeprom_word(struct e1000 *e, uint8_t address, uint16_t *out) {
    reg_write(e, REG_EERD, EERD_START | (uint32_t)address << e->model->eerd_address_shift);
    for (unsigned i = 0; i < 10000; i++) {
        uint32_t v = reg_read(e, REG_EERD);
        if (v & e->model->eerd_done) {
            *out = (uint16_t)(v >> 16);
            return true;
        }
        delay_us(1);
    }
    return false;
}

/* The receive address the firmware (or the EEPROM autoload after reset) put in RAL0/RAH0; if it
 * is not valid, read the MAC from EEPROM words 0-2 and program it. */
static bool read_mac(struct e1000 *e, uint8_t mac[6]) {
    uint32_t high = reg_read(e, REG_RAH0);
    if (high & RAH_AV) {
        uint32_t low = reg_read(e, REG_RAL0);
        for (unsigned i = 0; i < 4; i++) mac[i] = (uint8_t)(low >> (8 * i));
        mac[4] = (uint8_t)high;
        mac[5] = (uint8_t)(high >> 8);
        return true;
    }
    for (uint8_t word = 0; word < 3; word++) {
        uint16_t v;
        if (!eeprom_word(e, word, &v)) return false;
        mac[2 * word] = (uint8_t)v;
        mac[2 * word + 1] = (uint8_t)(v >> 8);
    }
    reg_write(e, REG_RAL0, (uint32_t)mac[0] | (uint32_t)mac[1] << 8 | (uint32_t)mac[2] << 16 | (uint32_t)mac[3] << 24);
    reg_write(e, REG_RAH0, (uint32_t)mac[4] | (uint32_t)mac[5] << 8 | RAH_AV);
    return true;
}

static void reset(struct e1000 *e) {
    reg_write(e, REG_IMC, 0xFFFFFFFFu);
    reg_write(e, REG_CTRL, reg_read(e, REG_CTRL) | CTRL_RST);
    delay_us(1000); /* the manual asks for 1 us before touching registers; be generous */
    for (unsigned i = 0; i < 1000 && (reg_read(e, REG_CTRL) & CTRL_RST); i++) delay_us(10);
    reg_write(e, REG_IMC, 0xFFFFFFFFu); /* reset unmasks nothing, but the firmware may have */
    (void)reg_read(e, REG_ICR);         /* clears pending causes */
}

static void setup_tx(struct e1000 *e) {
    e->tx = pool_alloc_pages(&hv_pages, 1);
    unsigned pages = (unsigned)((e->tx_buffer_size + PAGE_SIZE - 1) / PAGE_SIZE);
    e->tx_buffers = pool_alloc_pages(&hv_pages, RING_SIZE * pages);
    e->tx_buffer_size = (size_t)pages * PAGE_SIZE;
    for (unsigned i = 0; i < RING_SIZE; i++) {
        e->tx[i].address = pool_virt_to_phys(e->tx_buffers + i * e->tx_buffer_size);
        e->tx[i].status = DESC_DD; /* free: send() waits for DD before reusing a slot */
    }
    uint64_t ring = pool_virt_to_phys((const void *)e->tx);
    reg_write(e, REG_TDBAL, (uint32_t)ring);
    reg_write(e, REG_TDBAH, (uint32_t)(ring >> 32));
    reg_write(e, REG_TDLEN, RING_SIZE * sizeof(struct legacy_tx_desc));
    reg_write(e, REG_TDH, 0);
    reg_write(e, REG_TDT, 0);
    reg_write(e, REG_TIPG, TIPG_COPPER);
    reg_write(e, REG_TCTL, TCTL_EN | TCTL_PSP | 0x10u << TCTL_CT_SHIFT | 0x40u << TCTL_COLD_SHIFT);
}

static void setup_rx(struct e1000 *e, bool jumbo) {
    for (unsigned i = 0; i < MTA_ENTRIES; i++) reg_write(e, REG_MTA + 4 * i, 0);
    e->rx = pool_alloc_pages(&hv_pages, 1);
    e->rx_buffers = pool_alloc_pages(&hv_pages, (unsigned)(RING_SIZE * e->rx_buffer_size / PAGE_SIZE));
    for (unsigned i = 0; i < RING_SIZE; i++)
        e->rx[i].address = pool_virt_to_phys(e->rx_buffers + i * e->rx_buffer_size);
    uint64_t ring = pool_virt_to_phys((const void *)e->rx);
    reg_write(e, REG_RDBAL, (uint32_t)ring);
    reg_write(e, REG_RDBAH, (uint32_t)(ring >> 32));
    reg_write(e, REG_RDLEN, RING_SIZE * sizeof(struct legacy_rx_desc));
    reg_write(e, REG_RDH, 0);
    reg_write(e, REG_RDT, RING_SIZE - 1); /* the NIC owns all but one descriptor */
    /* One buffer per frame: 2 KiB, or 16 KiB (BSEX) with long packets enabled for jumbo frames. */
    uint32_t size_bits = jumbo ? RCTL_LPE | RCTL_BSEX | RCTL_BSIZE_16K_WITH_BSEX : 0;
    reg_write(e, REG_RCTL, RCTL_EN | RCTL_BAM | RCTL_SECRC | size_bits);
}

static bool e1000_send(struct nic *nic, const void *frame, size_t len) {
    struct e1000 *e = nic->driver;
    while (e->tx_clean != e->tx_tail && (e->tx[e->tx_clean].status & DESC_DD))
        e->tx_clean = (e->tx_clean + 1) % RING_SIZE;
    unsigned used = (e->tx_tail + RING_SIZE - e->tx_clean) % RING_SIZE;
    /* One slot stays free: TDT == TDH means an empty ring to the hardware. */
    if (len > e->tx_buffer_size || used == RING_SIZE - 1) return false;
    volatile struct legacy_tx_desc *d = &e->tx[e->tx_tail];
    memcpy(e->tx_buffers + e->tx_tail * e->tx_buffer_size, frame, len);
    d->length = (uint16_t)len;
    d->cmd = TX_CMD_EOP | TX_CMD_IFCS | TX_CMD_RS;
    d->status = 0;
    e->tx_tail = (e->tx_tail + 1) % RING_SIZE;
    e->tx_due = true;
    return true;
}

static const void *e1000_poll_receive(struct nic *nic, size_t *len) {
    struct e1000 *e = nic->driver;
    for (;;) {
        volatile struct legacy_rx_desc *d = &e->rx[e->rx_next];
        if (!(d->status & DESC_DD)) return NULL;
        compiler_barrier(); /* status read before the data */
        bool whole = (d->status & RX_EOP) && !d->errors;
        const uint8_t *frame = e->rx_buffers + e->rx_next * e->rx_buffer_size;
        *len = d->length;
        d->status = 0;
        e->rx_returned = e->rx_next; /* handed back at the next doorbell */
        e->rx_due = true;
        e->rx_next = (e->rx_next + 1) % RING_SIZE;
        if (whole) return frame;
        e->rx_dropped++;
    }
}

static void e1000_doorbell(struct nic *nic) {
    struct e1000 *e = nic->driver;
    compiler_barrier(); /* descriptors written before the hardware sees the new tails */
    if (e->tx_due) reg_write(e, REG_TDT, e->tx_tail);
    /* RDT one past the last descriptor the hardware owns: the emptied one stays ours, as the
     * one descriptor software always holds. */
    if (e->rx_due) reg_write(e, REG_RDT, e->rx_returned);
    e->tx_due = e->rx_due = false;
}

static bool e1000_link_up(struct nic *nic) { return reg_read(nic->driver, REG_STATUS) & STATUS_LU; }

struct nic *e1000_open(unsigned mtu, struct pci_address *where) {
    struct e1000 *e = &device;
    *e = (struct e1000){ 0 }; /* ring indexes restart with the reset below */
    if (!pci_find(supported, where)) {
        log_printf("e1000: no supported NIC (Intel 8086:100e, 8086:100f or 8086:10d3) on the PCI bus\n");
        return NULL;
    }
    uint64_t base, size;
    if (!pci_memory_bar(*where, 0, &base, &size)) {
        log_printf("e1000: %02x:%02x.%x has no memory BAR 0 assigned\n", where->bus, where->device, where->function);
        return NULL;
    }
    e->model = model_of(pci_read16(*where, PCI_DEVICE_ID));
    pci_enable_memory_and_bus_master(*where);
    e->regs = phys_to_virt(base);
    reset(e);
    if (!read_mac(e, e->nic.mac)) {
        log_printf("e1000: the EEPROM did not answer; no MAC address\n");
        return NULL;
    }
    bool jumbo = mtu > 1500;
    e->tx_buffer_size = NIC_ETH_HEADER + mtu;
    e->rx_buffer_size = jumbo ? 16384 : 2048;
    setup_tx(e);
    setup_rx(e, jumbo);
    reg_write(e, REG_CTRL, reg_read(e, REG_CTRL) | CTRL_SLU | CTRL_ASDE);
    e->nic.mtu = mtu;
    e->nic.send = e1000_send;
    e->nic.poll_receive = e1000_poll_receive;
    e->nic.doorbell = e1000_doorbell;
    e->nic.link_up = e1000_link_up;
    e->nic.driver = e;
    const uint8_t *m = e->nic.mac;
    log_printf(
        "e1000 at PCI %02x:%02x.%x (8086:%04x, %s), registers at %lx (%lu KiB), MAC %02x:%02x:%02x:%02x:%02x:%02x, "
        "MTU %u\n",
        where->bus, where->device, where->function, e->model->device_id, e->model->name, base, size >> 10, m[0], m[1],
        m[2], m[3], m[4], m[5], mtu);
    return &e->nic;
}

bool e1000_wait_link(struct nic *nic, unsigned timeout_ms) {
    uint64_t end = rdtsc() + tsc_from_us((uint64_t)timeout_ms * 1000);
    while (!nic->link_up(nic)) {
        if (rdtsc() >= end) return false;
        delay_us(1000);
    }
    return true;
}
