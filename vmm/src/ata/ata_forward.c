/* SPDX-License-Identifier: MIT */
/* Backend glue: turns the task file and the transfer's chunks into backend commands, and the
 * backend's answers into the task file the guest reads. */
#include "ata_device.h"

void ata_transfer_take_chunk(struct ata_transfer *t) {
    uint32_t sectors = t->sectors_left < ATA_CHANNEL_CHUNK_SECTORS ? t->sectors_left : ATA_CHANNEL_CHUNK_SECTORS;
    t->chunk_lba = t->next_lba;
    t->chunk_bytes = (size_t)sectors * ATA_SECTOR_BYTES;
    t->next_lba += sectors;
    t->sectors_left -= sectors;
}

bool ata_backend_busy(const struct ata_channel *ch) { return ch->backend_wait != ATA_WAIT_NONE; }

/* Takes the backend's answer. On failure the guest's command ends with ERR: a transport
 * failure as "aborted" (unless the channel can answer it itself), a device error with the
 * backend's error and task file. */
static bool settle(struct ata_channel *ch, bool transport_ok) {
    const struct ata_backend_command *cmd = &ch->backend_command;
    const struct ata_backend_result *result = &ch->backend_result;
    if (!transport_ok) {
        if (ata_answer_unreachable(ch)) return true;
        ata_device_fail(ch, ATA_ERROR_ABRT);
        return false;
    }
    if (!(result->status & (ATA_STATUS_ERR | ATA_STATUS_DF))) {
        if (cmd->opcode == ATA_CMD_IDENTIFY_DEVICE) ata_identity_remember(ch);
        return true;
    }
    ata_task_file_store(ch, cmd->lba48, result->count, result->lba);
    ata_device_fail(ch, result->error ? result->error : ATA_ERROR_ABRT);
    ch->status |= result->status & ATA_STATUS_DF;
    return false;
}

/* Runs ch->backend_command; a pending one leaves the device busy until it is done. */
static enum ata_backend_outcome forward(struct ata_channel *ch, enum ata_backend_wait then) {
    const struct ata_backend_command *cmd = &ch->backend_command;
    ch->backend_result =
        (struct ata_backend_result){ .status = ATA_STATUS_READY, .count = cmd->count, .lba = cmd->lba };
    bool known_unreachable = ch->backend.unreachable && ch->backend.unreachable(ch->backend.ctx);
    if (known_unreachable && ata_answer_unreachable(ch)) return ATA_BACKEND_DONE;
    enum ata_backend_outcome outcome = ch->backend.execute(ch->backend.ctx, cmd, &ch->backend_result);
    if (outcome == ATA_BACKEND_PENDING) {
        ch->backend_wait = (uint8_t)then;
        ch->status = ATA_STATUS_BSY;
        return outcome;
    }
    return settle(ch, outcome == ATA_BACKEND_DONE) ? ATA_BACKEND_DONE : ATA_BACKEND_FAILED;
}

enum ata_backend_outcome ata_forward_chunk(struct ata_channel *ch, enum ata_backend_wait then) {
    const struct ata_transfer *t = &ch->transfer;
    ch->backend_command = (struct ata_backend_command){
        .opcode = t->backend_opcode,
        .features = ch->written[ATA_PORT_ERROR_FEATURES],
        .device = ch->device,
        .lba48 = t->lba48,
        .write = t->write,
        .count = (uint32_t)(t->chunk_bytes / ATA_SECTOR_BYTES),
        .lba = t->chunk_lba,
        .buffer = ch->buffer,
        .buffer_bytes = t->chunk_bytes,
    };
    return forward(ch, then);
}

/* `sectors`: count and LBA name sectors (READ VERIFY), so count 0 means 256 or 65536; for
 * the others (SET FEATURES' mode value, ...) the count is passed as written. */
enum ata_backend_outcome ata_forward_non_data(struct ata_channel *ch, uint8_t opcode, bool lba48, bool sectors) {
    uint32_t count = ata_task_file_count(ch, lba48);
    if (sectors && count == 0) count = lba48 ? 0x10000 : 0x100;
    ch->backend_command = (struct ata_backend_command){
        .opcode = opcode,
        .features = ch->written[ATA_PORT_ERROR_FEATURES],
        .device = ch->device,
        .lba48 = lba48,
        .count = count,
        .lba = ata_task_file_lba(ch, lba48),
    };
    return forward(ch, ATA_WAIT_NON_DATA);
}

static void (*const continuations[])(struct ata_channel *ch) = {
    [ATA_WAIT_PIO_READ] = ata_pio_in_ready,  [ATA_WAIT_PIO_WRITE] = ata_pio_write_done,
    [ATA_WAIT_DMA_READ] = ata_dma_read_done, [ATA_WAIT_DMA_WRITE] = ata_dma_write_done,
    [ATA_WAIT_IDENTIFY] = ata_identify_done, [ATA_WAIT_NON_DATA] = ata_non_data_done,
};

/* A call with nothing pending is a backend bug; ignoring it keeps the guest's view intact. */
void ata_channel_backend_done(struct ata_channel *ch, bool transport_ok) {
    enum ata_backend_wait then = ch->backend_wait;
    ch->backend_wait = ATA_WAIT_NONE;
    if (then == ATA_WAIT_NONE) return;
    if (then == ATA_WAIT_DISCARD) {
        /* The software reset that abandoned the command ends now, unless still held. */
        if (!(ch->device_control & ATA_CONTROL_SRST)) ata_device_load_signature(ch);
        return;
    }
    if (settle(ch, transport_ok)) continuations[then](ch);
}
