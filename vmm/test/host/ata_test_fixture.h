/* SPDX-License-Identifier: MIT */
/* Test doubles and driver-style helpers shared by the ATA channel host tests: an in-memory
 * disk behind the backend interface, a guest RAM array, and an interrupt line recorder. The
 * channel itself is the real code. */
#ifndef ATA_TEST_FIXTURE_H
#define ATA_TEST_FIXTURE_H

#include <stdint.h>
#include <stdlib.h>

#include "ata/ata_channel.h"
#include "tap.h"

#define DISK_SECTORS (0x10000u + 0x1000u)
#define RAM_BYTES (8u << 20)
#define NO_LBA UINT64_MAX
/* One backend chunk (the channel's buffer), in sectors. */
#define CHUNK ATA_CHANNEL_CHUNK_SECTORS

/* Every sector of the disk starts with this content, so reads can be checked anywhere. */
static uint8_t pattern_byte(uint64_t lba, size_t offset) {
    return (uint8_t)(lba * 7 + (lba >> 8) * 3 + offset * 13 + 1);
}

struct fake_disk {
    uint8_t *bytes;
    uint64_t dirty_low, dirty_high; /* written sectors, restored by the next setup */
    unsigned calls;
    struct ata_backend_command last; /* buffer pointer excluded from comparisons */
    struct ata_backend_command first;
    bool transport_fails;
    bool known_unreachable; /* what the backend says of its disk before a command */
    bool defer;             /* answer PENDING; complete_deferred() finishes */
    const struct ata_backend_command *deferred;
    struct ata_backend_result *deferred_result;
    uint64_t error_lba; /* a data command touching it fails with UNC */
    uint8_t identify[ATA_SECTOR_BYTES];
};

struct fake_irq {
    bool level;
    unsigned rising_edges;
};

struct fake_ram {
    uint8_t *bytes;
    uint64_t refuse_from, refuse_to; /* the hypervisor's protected range */
};

static struct fixture {
    struct ata_channel ch;
    struct fake_disk disk;
    struct fake_irq irq;
    struct fake_ram ram;
} fx;

/* Executes a command on the disk; false = transport failure. */
static bool disk_perform(struct fake_disk *disk, const struct ata_backend_command *cmd,
                         struct ata_backend_result *result) {
    if (disk->transport_fails) return false;
    switch (cmd->opcode) {
    case ATA_CMD_IDENTIFY_DEVICE: memcpy(cmd->buffer, disk->identify, ATA_SECTOR_BYTES); return true;
    case ATA_CMD_READ_NATIVE_MAX:
    case ATA_CMD_READ_NATIVE_MAX_EXT: result->lba = DISK_SECTORS - 1; return true;
    default: break;
    }
    if (cmd->buffer == NULL) return true;
    if (cmd->lba + cmd->count > DISK_SECTORS ||
        (disk->error_lba >= cmd->lba && disk->error_lba < cmd->lba + cmd->count)) {
        result->status = ATA_STATUS_READY | ATA_STATUS_ERR;
        result->error = cmd->lba + cmd->count > DISK_SECTORS ? ATA_ERROR_IDNF : ATA_ERROR_UNC;
        result->lba = cmd->lba + cmd->count > DISK_SECTORS ? cmd->lba : disk->error_lba;
        return true;
    }
    uint8_t *at = disk->bytes + cmd->lba * ATA_SECTOR_BYTES;
    if (cmd->write) {
        memcpy(at, cmd->buffer, cmd->buffer_bytes);
        if (cmd->lba < disk->dirty_low) disk->dirty_low = cmd->lba;
        if (cmd->lba + cmd->count > disk->dirty_high) disk->dirty_high = cmd->lba + cmd->count;
    } else {
        memcpy(cmd->buffer, at, cmd->buffer_bytes);
    }
    return true;
}

static enum ata_backend_outcome disk_execute(void *ctx, const struct ata_backend_command *cmd,
                                             struct ata_backend_result *result) {
    struct fake_disk *disk = ctx;
    if (disk->calls++ == 0) disk->first = *cmd;
    disk->last = *cmd;
    if (disk->defer) {
        disk->deferred = cmd;
        disk->deferred_result = result;
        return ATA_BACKEND_PENDING;
    }
    return disk_perform(disk, cmd, result) ? ATA_BACKEND_DONE : ATA_BACKEND_FAILED;
}

static bool disk_unreachable(void *ctx) { return ((struct fake_disk *)ctx)->known_unreachable; }

/* The server's answer to the pending command arrives. */
static inline void complete_deferred(void) {
    bool ok = disk_perform(&fx.disk, fx.disk.deferred, fx.disk.deferred_result);
    ata_channel_backend_done(&fx.ch, ok);
}

static bool ram_allowed(const struct fake_ram *ram, uint64_t gpa, size_t len) {
    return gpa + len <= RAM_BYTES && (gpa + len <= ram->refuse_from || gpa >= ram->refuse_to);
}

static bool ram_read(void *ctx, uint64_t gpa, void *buf, size_t len) {
    struct fake_ram *ram = ctx;
    if (!ram_allowed(ram, gpa, len)) return false;
    memcpy(buf, ram->bytes + gpa, len);
    return true;
}

static bool ram_write(void *ctx, uint64_t gpa, const void *buf, size_t len) {
    struct fake_ram *ram = ctx;
    if (!ram_allowed(ram, gpa, len)) return false;
    memcpy(ram->bytes + gpa, buf, len);
    return true;
}

static void irq_set_level(void *ctx, bool asserted) {
    struct fake_irq *irq = ctx;
    if (asserted && !irq->level) irq->rising_edges++;
    irq->level = asserted;
}

static void fill_pattern(uint64_t from, uint64_t to) {
    for (uint64_t lba = from; lba < to; lba++)
        for (size_t i = 0; i < ATA_SECTOR_BYTES; i++) fx.disk.bytes[lba * ATA_SECTOR_BYTES + i] = pattern_byte(lba, i);
}

/* IDENTIFY data as a server would send it: capacity, multiple limit 16, an integrity word. */
static void fill_identify(uint8_t *id) {
    memset(id, 0, ATA_SECTOR_BYTES);
    id[2 * 47] = 16;
    id[2 * 47 + 1] = 0x80;
    id[2 * 49 + 1] = 0x03; /* LBA and DMA supported */
    id[2 * 59 + 1] = 0x10; /* a bit above the multiple setting, to be preserved */
    id[2 * 60] = 0x00;
    id[2 * 60 + 1] = 0x10;
    id[2 * 61] = 0x01; /* 0x00011000 sectors */
    id[510] = ATA_ID_INTEGRITY_SIGNATURE;
    uint8_t sum = 0;
    for (int i = 0; i < 511; i++) sum = (uint8_t)(sum + id[i]);
    id[511] = (uint8_t)-sum;
}

static void setup(void) {
    if (fx.disk.bytes == NULL) {
        fx.disk.bytes = malloc((size_t)DISK_SECTORS * ATA_SECTOR_BYTES);
        fx.ram.bytes = malloc(RAM_BYTES);
        fill_pattern(0, DISK_SECTORS);
    } else if (fx.disk.dirty_high > fx.disk.dirty_low) {
        fill_pattern(fx.disk.dirty_low, fx.disk.dirty_high);
    }
    fx.disk.dirty_low = DISK_SECTORS;
    fx.disk.dirty_high = 0;
    fx.disk.calls = 0;
    fx.disk.transport_fails = false;
    fx.disk.known_unreachable = false;
    fx.disk.defer = false;
    fx.disk.error_lba = NO_LBA;
    fill_identify(fx.disk.identify);
    memset(fx.ram.bytes, 0xEE, RAM_BYTES);
    fx.ram.refuse_from = fx.ram.refuse_to = 0;
    fx.irq = (struct fake_irq){ 0 };
    ata_channel_init(
        &fx.ch, (struct ata_backend){ .ctx = &fx.disk, .execute = disk_execute, .unreachable = disk_unreachable },
        (struct ata_guest_memory){ &fx.ram, ram_read, ram_write }, (struct ata_irq){ &fx.irq, irq_set_level });
}

static uint8_t inb(enum ata_port port) { return (uint8_t)ata_channel_read(&fx.ch, port, 1); }

static void outb(enum ata_port port, uint8_t value) { ata_channel_write(&fx.ch, port, value, 1); }

/* The task-file sequence Linux's ata_sff_tf_load uses: HOB bytes first for LBA48, then the
 * current bytes, the device register, and the command; each register written through `out`. */
static inline void issue_through(void (*out)(enum ata_port, uint8_t), uint8_t opcode, uint64_t lba, uint32_t count,
                                 bool lba48) {
    if (lba48) {
        out(ATA_PORT_COUNT, (uint8_t)(count >> 8));
        out(ATA_PORT_LBA_LOW, (uint8_t)(lba >> 24));
        out(ATA_PORT_LBA_MID, (uint8_t)(lba >> 32));
        out(ATA_PORT_LBA_HIGH, (uint8_t)(lba >> 40));
    }
    out(ATA_PORT_COUNT, (uint8_t)count);
    out(ATA_PORT_LBA_LOW, (uint8_t)lba);
    out(ATA_PORT_LBA_MID, (uint8_t)(lba >> 8));
    out(ATA_PORT_LBA_HIGH, (uint8_t)(lba >> 16));
    out(ATA_PORT_DEVICE, (uint8_t)(0xE0 | (lba48 ? 0 : (lba >> 24) & 0x0F)));
    out(ATA_PORT_STATUS_COMMAND, opcode);
}

/* The same, every register written to the channel. */
static inline void issue(uint8_t opcode, uint64_t lba, uint32_t count, bool lba48) {
    issue_through(outb, opcode, lba, count, lba48);
}

static bool sectors_match_pattern(const uint8_t *data, uint64_t lba, uint32_t sectors) {
    for (uint64_t s = 0; s < sectors; s++)
        for (size_t i = 0; i < ATA_SECTOR_BYTES; i++)
            if (data[s * ATA_SECTOR_BYTES + i] != pattern_byte(lba + s, i)) return false;
    return true;
}

#endif
