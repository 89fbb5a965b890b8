/* SPDX-License-Identifier: MIT */
#include "storage/ide_register_split.h"

#include "ata/ata_regs.h"

/* The device only latches registers: it is never given a command, so its interrupt stays off. */
static void set_control(struct ide_ports *p, bool hob) {
    p->out(p->ctx, p->control, (uint8_t)(ATA_CONTROL_NIEN | (hob ? ATA_CONTROL_HOB : 0)));
}

static void read_registers(struct ide_ports *p, uint8_t regs[ATA_PORT_LBA_HIGH + 1]) {
    for (unsigned r = ATA_PORT_COUNT; r <= ATA_PORT_LBA_HIGH; r++)
        regs[r] = p->in(p->ctx, (uint16_t)(p->command_block + r));
}

/* HOB bytes first, then the current ones: each write moves the register's value into its HOB
 * byte, as the guest's own LBA48 sequence does. The write also ends any HOB read-back. */
static void write_registers(struct ide_ports *p, const uint8_t written[ATA_PORT_LBA_HIGH + 1],
                            const uint8_t hob[ATA_PORT_LBA_HIGH + 1]) {
    for (unsigned r = ATA_PORT_COUNT; r <= ATA_PORT_LBA_HIGH; r++)
        p->out(p->ctx, (uint16_t)(p->command_block + r), hob[r]);
    for (unsigned r = ATA_PORT_COUNT; r <= ATA_PORT_LBA_HIGH; r++)
        p->out(p->ctx, (uint16_t)(p->command_block + r), written[r]);
}

/* At a command write: the guest's Command write (trapped) has ended its HOB read-back, so the
 * device is left with HOB clear. */
static void load(void *ctx, uint8_t written[ATA_PORT_LBA_HIGH + 1], uint8_t hob[ATA_PORT_LBA_HIGH + 1]) {
    struct ide_ports *p = ctx;
    set_control(p, true);
    read_registers(p, hob);
    set_control(p, false);
    read_registers(p, written);
}

static void store(void *ctx, const uint8_t written[ATA_PORT_LBA_HIGH + 1], const uint8_t hob[ATA_PORT_LBA_HIGH + 1]) {
    write_registers(ctx, written, hob);
}

static void select_hob(void *ctx, bool hob) { set_control(ctx, hob); }

bool ide_register_split_probe(struct ide_ports *ports) {
    static const uint8_t first[ATA_PORT_LBA_HIGH + 1] = { 0, 0, 0x5A, 0xA5, 0x3C, 0xC3 };
    static const uint8_t second[ATA_PORT_LBA_HIGH + 1] = { 0, 0, 0x12, 0x34, 0x56, 0x78 };
    uint8_t now[ATA_PORT_LBA_HIGH + 1], before[ATA_PORT_LBA_HIGH + 1];
    set_control(ports, false);
    write_registers(ports, second, first);
    load(ports, now, before);
    for (unsigned r = ATA_PORT_COUNT; r <= ATA_PORT_LBA_HIGH; r++)
        if (now[r] != second[r] || before[r] != first[r]) return false;
    return true;
}

struct ata_register_device ide_register_split_device(struct ide_ports *ports) {
    return (struct ata_register_device){ .ctx = ports, .load = load, .store = store, .select_hob = select_hob };
}
