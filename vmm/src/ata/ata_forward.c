/* Backend glue: turns the task file and the transfer's chunks into backend commands, and the
 * backend's answers into the task file the guest reads. */
#include "ata/ata_device.h"

void ata_transfer_take_chunk(struct ata_transfer *t) {
    uint32_t sectors = t->sectors_left < ATA_CHANNEL_CHUNK_SECTORS ? t->sectors_left
                                                                    : ATA_CHANNEL_CHUNK_SECTORS;
    t->chunk_lba = t->next_lba;
    t->chunk_bytes = (size_t)sectors * ATA_SECTOR_BYTES;
    t->next_lba += sectors;
    t->sectors_left -= sectors;
}

/* Runs one backend command. On failure the guest's command ends with ERR: a transport failure
 * as "aborted", a device error with the backend's error and task file. */
static bool forward(struct ata_channel *ch, const struct ata_backend_command *cmd,
                    struct ata_backend_result *result) {
    *result = (struct ata_backend_result){ .status = ATA_STATUS_READY, .count = cmd->count,
                                           .lba = cmd->lba };
    if (!ch->backend.execute(ch->backend.ctx, cmd, result)) {
        ata_device_fail(ch, ATA_ERROR_ABRT);
        return false;
    }
    if (!(result->status & (ATA_STATUS_ERR | ATA_STATUS_DF)))
        return true;
    ata_task_file_store(ch, cmd->lba48, result->count, result->lba);
    ata_device_fail(ch, result->error ? result->error : ATA_ERROR_ABRT);
    ch->status |= result->status & ATA_STATUS_DF;
    return false;
}

bool ata_forward_chunk(struct ata_channel *ch) {
    const struct ata_transfer *t = &ch->transfer;
    struct ata_backend_command cmd = {
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
    struct ata_backend_result result;
    return forward(ch, &cmd, &result);
}

/* `sectors`: count and LBA name sectors (READ VERIFY), so count 0 means 256 or 65536; for
 * the others (SET FEATURES' mode value, ...) the count is passed as written. */
bool ata_forward_non_data(struct ata_channel *ch, uint8_t opcode, bool lba48, bool sectors) {
    uint32_t count = ata_task_file_count(ch, lba48);
    if (sectors && count == 0)
        count = lba48 ? 0x10000 : 0x100;
    struct ata_backend_command cmd = {
        .opcode = opcode,
        .features = ch->written[ATA_PORT_ERROR_FEATURES],
        .device = ch->device,
        .lba48 = lba48,
        .count = count,
        .lba = ata_task_file_lba(ch, lba48),
    };
    struct ata_backend_result result;
    if (!forward(ch, &cmd, &result))
        return false;
    ata_task_file_store(ch, lba48, result.count, result.lba);
    return true;
}
