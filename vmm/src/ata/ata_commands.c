/* SPDX-License-Identifier: MIT */
/* Opcode -> protocol class -> handler. */
#include "ata/ata_commands.h"
#include "ata_device.h"

#define PIO_IN(flags)                                                                                                  \
    { ATA_CLASS_PIO_IN, ATA_CMD_SECTORS | (flags) }
#define PIO_OUT(flags)                                                                                                 \
    { ATA_CLASS_PIO_OUT, ATA_CMD_SECTORS | ATA_CMD_WRITE | (flags) }
#define DMA(flags)                                                                                                     \
    { ATA_CLASS_DMA, ATA_CMD_SECTORS | (flags) }
#define FORWARD(flags)                                                                                                 \
    { ATA_CLASS_FORWARD, (flags) }
#define ACCEPT                                                                                                         \
    { ATA_CLASS_ACCEPT, 0 }

/* Zero (ATA_CLASS_ABORT) for every opcode not listed. */
static const struct ata_command command_table[256] = {
    [ATA_CMD_RECALIBRATE] = ACCEPT,
    [ATA_CMD_READ_SECTORS] = PIO_IN(0),
    [ATA_CMD_READ_SECTORS_NO_RETRY] = PIO_IN(0),
    [ATA_CMD_READ_SECTORS_EXT] = PIO_IN(ATA_CMD_LBA48),
    [ATA_CMD_READ_DMA_EXT] = DMA(ATA_CMD_LBA48),
    [ATA_CMD_READ_NATIVE_MAX_EXT] = FORWARD(ATA_CMD_LBA48),
    [ATA_CMD_READ_MULTIPLE_EXT] = PIO_IN(ATA_CMD_LBA48 | ATA_CMD_MULTIPLE),
    [ATA_CMD_WRITE_SECTORS] = PIO_OUT(0),
    [ATA_CMD_WRITE_SECTORS_NO_RETRY] = PIO_OUT(0),
    [ATA_CMD_WRITE_SECTORS_EXT] = PIO_OUT(ATA_CMD_LBA48),
    [ATA_CMD_WRITE_DMA_EXT] = DMA(ATA_CMD_LBA48 | ATA_CMD_WRITE),
    [ATA_CMD_WRITE_MULTIPLE_EXT] = PIO_OUT(ATA_CMD_LBA48 | ATA_CMD_MULTIPLE),
    [ATA_CMD_READ_VERIFY] = FORWARD(ATA_CMD_SECTORS),
    [ATA_CMD_READ_VERIFY_NO_RETRY] = FORWARD(ATA_CMD_SECTORS),
    [ATA_CMD_READ_VERIFY_EXT] = FORWARD(ATA_CMD_SECTORS | ATA_CMD_LBA48),
    [ATA_CMD_SEEK] = ACCEPT,
    [ATA_CMD_EXECUTE_DEVICE_DIAGNOSTIC] = { ATA_CLASS_DIAGNOSTIC, 0 },
    [ATA_CMD_INITIALIZE_DEVICE_PARAMETERS] = ACCEPT,
    [ATA_CMD_READ_MULTIPLE] = PIO_IN(ATA_CMD_MULTIPLE),
    [ATA_CMD_WRITE_MULTIPLE] = PIO_OUT(ATA_CMD_MULTIPLE),
    [ATA_CMD_SET_MULTIPLE] = { ATA_CLASS_SET_MULTIPLE, 0 },
    [ATA_CMD_READ_DMA] = DMA(0),
    [ATA_CMD_READ_DMA_NO_RETRY] = DMA(0),
    [ATA_CMD_WRITE_DMA] = DMA(ATA_CMD_WRITE),
    [ATA_CMD_WRITE_DMA_NO_RETRY] = DMA(ATA_CMD_WRITE),
    [ATA_CMD_STANDBY_IMMEDIATE] = ACCEPT,
    [ATA_CMD_IDLE_IMMEDIATE] = ACCEPT,
    [ATA_CMD_STANDBY] = ACCEPT,
    [ATA_CMD_IDLE] = ACCEPT,
    [ATA_CMD_CHECK_POWER_MODE] = { ATA_CLASS_CHECK_POWER_MODE, 0 },
    [ATA_CMD_FLUSH_CACHE] = FORWARD(0),
    [ATA_CMD_FLUSH_CACHE_EXT] = FORWARD(0),
    [ATA_CMD_IDENTIFY_DEVICE] = { ATA_CLASS_IDENTIFY, 0 },
    [ATA_CMD_SET_FEATURES] = FORWARD(0),
    [ATA_CMD_READ_NATIVE_MAX] = FORWARD(0),
};

const struct ata_command *ata_command_lookup(uint8_t opcode) { return &command_table[opcode]; }

/* What the backend executes for a data command, by [lba48][write]: AoE targets implement the
 * PIO READ/WRITE SECTORS (EXT) commands only, and whether the guest used PIO, MULTIPLE or DMA
 * is this side's business. */
static const uint8_t backend_data_opcodes[2][2] = {
    { ATA_CMD_READ_SECTORS, ATA_CMD_WRITE_SECTORS },
    { ATA_CMD_READ_SECTORS_EXT, ATA_CMD_WRITE_SECTORS_EXT },
};

/* Loads the transfer from the task file. CHS addressing (LBA bit clear) is aborted: the
 * remote disk is LBA-only, which every OS in scope uses when IDENTIFY says it may. A range
 * running past the 28- or 48-bit address space is IDNF here, before a backend could wrap it
 * around to sector 0. */
static bool begin_sectors(struct ata_channel *ch, uint8_t flags) {
    if (!(ch->device & ATA_DEVICE_LBA)) {
        ata_device_fail(ch, ATA_ERROR_ABRT);
        return false;
    }
    bool lba48 = flags & ATA_CMD_LBA48, write = flags & ATA_CMD_WRITE;
    uint32_t count = ata_task_file_count(ch, lba48);
    uint32_t sectors = count ? count : (lba48 ? 0x10000u : 0x100u);
    uint64_t lba = ata_task_file_lba(ch, lba48);
    if (lba + sectors > (lba48 ? ATA_LBA48_SECTORS : ATA_LBA28_SECTORS)) {
        ata_device_fail(ch, ATA_ERROR_IDNF);
        return false;
    }
    ch->transfer = (struct ata_transfer){
        .backend_opcode = backend_data_opcodes[lba48][write],
        .lba48 = lba48,
        .write = write,
        .next_lba = lba,
        .sectors_left = sectors,
    };
    return true;
}

/* READ/WRITE MULTIPLE are aborted until SET MULTIPLE enabled them (ATA/ATAPI-6). */
static bool begin_pio(struct ata_channel *ch, uint8_t flags) {
    if ((flags & ATA_CMD_MULTIPLE) && ch->multiple_sectors == 0) {
        ata_device_fail(ch, ATA_ERROR_ABRT);
        return false;
    }
    if (!begin_sectors(ch, flags)) return false;
    size_t block_sectors = (flags & ATA_CMD_MULTIPLE) ? ch->multiple_sectors : 1;
    ch->transfer.block_bytes = block_sectors * ATA_SECTOR_BYTES;
    return true;
}

static void run_pio_in(struct ata_channel *ch, uint8_t opcode, uint8_t flags) {
    (void)opcode;
    if (begin_pio(ch, flags)) ata_pio_read_start(ch);
}

static void run_pio_out(struct ata_channel *ch, uint8_t opcode, uint8_t flags) {
    (void)opcode;
    if (begin_pio(ch, flags)) ata_pio_write_start(ch);
}

static void run_dma(struct ata_channel *ch, uint8_t opcode, uint8_t flags) {
    (void)opcode;
    if (begin_sectors(ch, flags)) ata_dma_start(ch);
}

/* The channel owns the multiple setting, so it patches IDENTIFY word 59 and, when the data
 * carries an integrity word, the checksum that covers it. */
static void patch_identify(struct ata_channel *ch) {
    uint8_t *id = ch->buffer;
    unsigned at = 2 * ATA_ID_WORD_MULTIPLE_SETTING;
    id[at] = ch->multiple_sectors;
    id[at + 1] = (uint8_t)((id[at + 1] & ~(ATA_ID_MULTIPLE_SETTING_VALID >> 8)) |
                           (ch->multiple_sectors ? ATA_ID_MULTIPLE_SETTING_VALID >> 8 : 0));
    unsigned integrity = 2 * ATA_ID_WORD_INTEGRITY;
    if (id[integrity] != ATA_ID_INTEGRITY_SIGNATURE) return;
    uint8_t sum = 0;
    for (unsigned i = 0; i < integrity + 1; i++) sum = (uint8_t)(sum + id[i]);
    id[integrity + 1] = (uint8_t)-sum;
}

void ata_identify_done(struct ata_channel *ch) {
    patch_identify(ch);
    ata_pio_in_ready(ch);
}

static void run_identify(struct ata_channel *ch, uint8_t opcode, uint8_t flags) {
    (void)flags;
    ch->transfer = (struct ata_transfer){
        .backend_opcode = opcode,
        .sectors_left = 1,
        .block_bytes = ATA_SECTOR_BYTES,
    };
    ata_transfer_take_chunk(&ch->transfer);
    if (ata_forward_chunk(ch, ATA_WAIT_IDENTIFY) == ATA_BACKEND_DONE) ata_identify_done(ch);
}

/* The backend's count and LBA become the task file (READ NATIVE MAX answers there). */
void ata_non_data_done(struct ata_channel *ch) {
    const struct ata_backend_result *result = &ch->backend_result;
    ata_task_file_store(ch, ch->backend_command.lba48, result->count, result->lba);
    ata_device_complete(ch);
}

static void run_forward(struct ata_channel *ch, uint8_t opcode, uint8_t flags) {
    if (ata_forward_non_data(ch, opcode, flags & ATA_CMD_LBA48, flags & ATA_CMD_SECTORS) == ATA_BACKEND_DONE)
        ata_non_data_done(ch);
}

static void run_accept(struct ata_channel *ch, uint8_t opcode, uint8_t flags) {
    (void)opcode, (void)flags;
    ata_device_complete(ch);
}

/* Valid block sizes are powers of two up to the IDENTIFY word 47 limit; 0 disables. */
static void run_set_multiple(struct ata_channel *ch, uint8_t opcode, uint8_t flags) {
    (void)opcode, (void)flags;
    uint8_t sectors = ch->written[ATA_PORT_COUNT];
    if ((sectors & (sectors - 1)) != 0 || sectors > ATA_MULTIPLE_MAX_SECTORS) {
        ata_device_fail(ch, ATA_ERROR_ABRT);
        return;
    }
    ch->multiple_sectors = sectors;
    ata_device_complete(ch);
}

/* A disk served over the network never spins down: always "active or idle". */
static void run_check_power_mode(struct ata_channel *ch, uint8_t opcode, uint8_t flags) {
    (void)opcode, (void)flags;
    ch->written[ATA_PORT_COUNT] = ATA_POWER_MODE_ACTIVE;
    ata_device_publish_task_file(ch);
    ata_device_complete(ch);
}

/* Device 0 reports its own result and, device 1 being absent, "passed" for it too; device 0
 * interrupts even when the command was addressed to device 1 (ATA/ATAPI-6). */
static void run_diagnostic(struct ata_channel *ch, uint8_t opcode, uint8_t flags) {
    (void)opcode, (void)flags;
    ata_device_load_signature(ch);
    ata_device_interrupt(ch);
}

static void run_abort(struct ata_channel *ch, uint8_t opcode, uint8_t flags) {
    (void)opcode, (void)flags;
    ata_device_fail(ch, ATA_ERROR_ABRT);
}

typedef void (*command_handler)(struct ata_channel *ch, uint8_t opcode, uint8_t flags);

static const command_handler class_handlers[ATA_CLASS_COUNT] = {
    [ATA_CLASS_ABORT] = run_abort,
    [ATA_CLASS_PIO_IN] = run_pio_in,
    [ATA_CLASS_PIO_OUT] = run_pio_out,
    [ATA_CLASS_DMA] = run_dma,
    [ATA_CLASS_IDENTIFY] = run_identify,
    [ATA_CLASS_FORWARD] = run_forward,
    [ATA_CLASS_ACCEPT] = run_accept,
    [ATA_CLASS_SET_MULTIPLE] = run_set_multiple,
    [ATA_CLASS_CHECK_POWER_MODE] = run_check_power_mode,
    [ATA_CLASS_DIAGNOSTIC] = run_diagnostic,
};

void ata_command_execute(struct ata_channel *ch, uint8_t opcode) {
    const struct ata_command *command = ata_command_lookup(opcode);
    class_handlers[command->command_class](ch, opcode, command->flags);
}
