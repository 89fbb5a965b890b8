/* SPDX-License-Identifier: MIT */
/* Task-file registers, device selection, software reset and the interrupt line. */
#include "ata/ata_channel.h"
#include "ata/ata_commands.h"
#include "ata_device.h"

bool ata_device1_selected(const struct ata_channel *ch) { return (ch->device & ATA_DEVICE_DEV) != 0; }

/* INTRQ is driven only by the selected device and only with nIEN clear (ATA/ATAPI-6); the bus
 * master latches its interrupt bit on the line's rising edge. */
void ata_device_update_irq(struct ata_channel *ch) {
    bool asserted = ch->irq_pending && !ata_device1_selected(ch) && !(ch->device_control & ATA_CONTROL_NIEN);
    if (asserted == ch->irq_asserted) return;
    ch->irq_asserted = asserted;
    if (asserted) ch->bus_master.status |= ATA_BM_STATUS_INTERRUPT;
    ch->irq.set_level(ch->irq.ctx, asserted);
}

void ata_device_interrupt(struct ata_channel *ch) {
    ch->irq_pending = true;
    ata_device_update_irq(ch);
}

void ata_device_complete(struct ata_channel *ch) {
    ch->transfer.phase = ATA_PHASE_IDLE;
    ch->status = ATA_STATUS_READY;
    ata_device_interrupt(ch);
}

void ata_device_fail(struct ata_channel *ch, uint8_t error) {
    ch->transfer.phase = ATA_PHASE_IDLE;
    ch->status = ATA_STATUS_READY | ATA_STATUS_ERR;
    ch->error = error;
    ata_device_interrupt(ch);
}

void ata_device_publish_task_file(struct ata_channel *ch) {
    if (ch->register_device.store) ch->register_device.store(ch->register_device.ctx, ch->written, ch->hob);
}

void ata_device_load_signature(struct ata_channel *ch) {
    ch->written[ATA_PORT_COUNT] = ATA_SIGNATURE_COUNT;
    ch->written[ATA_PORT_LBA_LOW] = ATA_SIGNATURE_LBA_LOW;
    ch->written[ATA_PORT_LBA_MID] = ATA_SIGNATURE_LBA_MID;
    ch->written[ATA_PORT_LBA_HIGH] = ATA_SIGNATURE_LBA_HIGH;
    ch->device = 0;
    ch->error = ATA_DIAGNOSTIC_PASSED;
    ch->status = ATA_STATUS_READY;
    ch->transfer.phase = ATA_PHASE_IDLE;
    ata_device_publish_task_file(ch);
}

uint64_t ata_task_file_lba(const struct ata_channel *ch, bool lba48) {
    const uint8_t *now = ch->written, *hob = ch->hob;
    uint64_t low24 =
        (uint64_t)now[ATA_PORT_LBA_HIGH] << 16 | (uint64_t)now[ATA_PORT_LBA_MID] << 8 | now[ATA_PORT_LBA_LOW];
    if (!lba48) return (uint64_t)(ch->device & ATA_DEVICE_LBA28_HIGH_MASK) << 24 | low24;
    return (uint64_t)hob[ATA_PORT_LBA_HIGH] << 40 | (uint64_t)hob[ATA_PORT_LBA_MID] << 32 |
        (uint64_t)hob[ATA_PORT_LBA_LOW] << 24 | low24;
}

uint32_t ata_task_file_count(const struct ata_channel *ch, bool lba48) {
    uint32_t count = ch->written[ATA_PORT_COUNT];
    if (lba48) count |= (uint32_t)ch->hob[ATA_PORT_COUNT] << 8;
    return count;
}

void ata_task_file_store(struct ata_channel *ch, bool lba48, uint32_t count, uint64_t lba) {
    ch->written[ATA_PORT_COUNT] = (uint8_t)count;
    for (unsigned i = 0; i < 3; i++) ch->written[ATA_PORT_LBA_LOW + i] = (uint8_t)(lba >> (8 * i));
    if (!lba48) {
        ch->device = (uint8_t)((ch->device & ~ATA_DEVICE_LBA28_HIGH_MASK) | ((lba >> 24) & ATA_DEVICE_LBA28_HIGH_MASK));
    } else {
        ch->hob[ATA_PORT_COUNT] = (uint8_t)(count >> 8);
        for (unsigned i = 0; i < 3; i++) ch->hob[ATA_PORT_LBA_LOW + i] = (uint8_t)(lba >> (24 + 8 * i));
    }
    ata_device_publish_task_file(ch);
}

void ata_channel_split_registers(struct ata_channel *ch, struct ata_register_device device) {
    ch->register_device = device;
    ata_device_publish_task_file(ch);
    if (device.select_hob) device.select_hob(device.ctx, ch->device_control & ATA_CONTROL_HOB);
}

/* Device Control's HOB bit, mirrored at the real device under the register split. */
static void set_hob(struct ata_channel *ch, bool hob) {
    bool was = ch->device_control & ATA_CONTROL_HOB;
    ch->device_control = (uint8_t)(hob ? ch->device_control | ATA_CONTROL_HOB : ch->device_control & ~ATA_CONTROL_HOB);
    if (was != hob && ch->register_device.select_hob) ch->register_device.select_hob(ch->register_device.ctx, hob);
}

void ata_channel_init(struct ata_channel *ch, struct ata_backend backend, struct ata_guest_memory memory,
                      struct ata_irq irq) {
    /* The buffer is only ever read after a backend call filled it: leave its 128 KiB alone. */
    uint8_t *bytes = (uint8_t *)ch;
    for (size_t i = 0; i < offsetof(struct ata_channel, buffer); i++) bytes[i] = 0;
    ch->backend = backend;
    ch->memory = memory;
    ch->irq = irq;
    ata_device_load_signature(ch);
}

/* SRST's falling edge ends the reset: device 0 reports its signature and diagnostic code and
 * raises no interrupt (ATA/ATAPI-6). While SRST is held the device is busy, and stays busy
 * after it until a pending backend command (whose answer is dropped) is done. */
static void write_device_control(struct ata_channel *ch, uint8_t value) {
    bool was_reset = ch->device_control & ATA_CONTROL_SRST;
    ch->device_control = (uint8_t)((value & ~ATA_CONTROL_HOB) | (ch->device_control & ATA_CONTROL_HOB));
    set_hob(ch, value & ATA_CONTROL_HOB);
    if (value & ATA_CONTROL_SRST) {
        if (!was_reset) {
            ch->transfer.phase = ATA_PHASE_IDLE;
            ch->status = ATA_STATUS_BSY;
            ch->irq_pending = false;
            if (ata_backend_busy(ch)) ch->backend_wait = ATA_WAIT_DISCARD;
        }
    } else if (was_reset && !ata_backend_busy(ch)) {
        ata_device_load_signature(ch);
    }
    ata_device_update_irq(ch);
}

/* A busy device (reset, or waiting for the backend) ignores commands. Device 1 is absent:
 * device 0 ignores commands addressed to it except EXECUTE DEVICE DIAGNOSTIC, which both
 * devices execute (ATA/ATAPI-6). */
static void write_command(struct ata_channel *ch, uint8_t opcode) {
    if ((ch->device_control & ATA_CONTROL_SRST) || ata_backend_busy(ch)) return;
    if (ata_device1_selected(ch) && opcode != ATA_CMD_EXECUTE_DEVICE_DIAGNOSTIC) return;
    ch->irq_pending = false;
    ata_device_update_irq(ch);
    if (ch->register_device.load) ch->register_device.load(ch->register_device.ctx, ch->written, ch->hob);
    ata_command_execute(ch, opcode);
}

/* Status reads of an absent device 1 return 0 (device 0 answers for it): that, not the
 * scratch-register test, is how Linux and SeaBIOS decide there is no device 1. */
static uint8_t read_status(struct ata_channel *ch, bool acknowledge) {
    if (ata_device1_selected(ch)) return 0;
    uint8_t status = ch->status;
    if (acknowledge) {
        ch->irq_pending = false;
        ata_device_update_irq(ch);
    }
    return status;
}

uint32_t ata_channel_read(struct ata_channel *ch, enum ata_port port, unsigned size) {
    if (port >= ATA_PORT_BM_COMMAND) {
        uint32_t value = 0;
        for (unsigned i = 0; i < size && port + i < ATA_PORT_BM_END; i++)
            value |= (uint32_t)ata_bus_master_read(ch, port - ATA_PORT_BM_COMMAND + i) << (8 * i);
        return value;
    }
    switch (port) {
    case ATA_PORT_DATA: {
        uint8_t bytes[4];
        ata_channel_data_in(ch, bytes, size);
        uint32_t value = 0;
        for (unsigned i = 0; i < size; i++) value |= (uint32_t)bytes[i] << (8 * i);
        return value;
    }
    case ATA_PORT_ERROR_FEATURES: return ch->error;
    case ATA_PORT_COUNT:
    case ATA_PORT_LBA_LOW:
    case ATA_PORT_LBA_MID:
    case ATA_PORT_LBA_HIGH: return (ch->device_control & ATA_CONTROL_HOB) ? ch->hob[port] : ch->written[port];
    case ATA_PORT_DEVICE: return ch->device;
    case ATA_PORT_STATUS_COMMAND: return read_status(ch, true);
    case ATA_PORT_ALT_STATUS_DEVICE_CONTROL: return read_status(ch, false);
    default: return 0;
    }
}

void ata_channel_write(struct ata_channel *ch, enum ata_port port, uint32_t value, unsigned size) {
    if (port >= ATA_PORT_BM_COMMAND) {
        for (unsigned i = 0; i < size && port + i < ATA_PORT_BM_END; i++)
            ata_bus_master_write(ch, port - ATA_PORT_BM_COMMAND + i, (uint8_t)(value >> (8 * i)));
        return;
    }
    if (port == ATA_PORT_DATA) {
        uint8_t bytes[4];
        for (unsigned i = 0; i < size; i++) bytes[i] = (uint8_t)(value >> (8 * i));
        ata_channel_data_out(ch, bytes, size);
        return;
    }
    if (port == ATA_PORT_ALT_STATUS_DEVICE_CONTROL) {
        write_device_control(ch, (uint8_t)value);
        return;
    }
    /* Any command-block write ends a HOB read-back (ATA/ATAPI-6). */
    set_hob(ch, false);
    switch (port) {
    case ATA_PORT_ERROR_FEATURES:
    case ATA_PORT_COUNT:
    case ATA_PORT_LBA_LOW:
    case ATA_PORT_LBA_MID:
    case ATA_PORT_LBA_HIGH:
        ch->hob[port] = ch->written[port];
        ch->written[port] = (uint8_t)value;
        break;
    case ATA_PORT_DEVICE:
        ch->device = (uint8_t)value;
        ata_device_update_irq(ch);
        break;
    case ATA_PORT_STATUS_COMMAND: write_command(ch, (uint8_t)value); break;
    default: break;
    }
}
