/* SPDX-License-Identifier: MIT */
/* The opcode table: which protocol class each ATA command belongs to, and the class handlers
 * that start it. Opcodes not in the table are aborted (ERR, ABRT), as a disk does with commands
 * it does not implement; that includes the packet commands (this is not an ATAPI device),
 * DEVICE RESET (packet devices only) and NOP (always aborts). */
#ifndef ATA_ATA_COMMANDS_H
#define ATA_ATA_COMMANDS_H

#include <stdint.h>

struct ata_channel;

enum ata_command_class {
    ATA_CLASS_ABORT = 0,        /* unknown or unsupported: ERR, ABRT */
    ATA_CLASS_PIO_IN,           /* READ SECTORS/MULTIPLE (EXT) */
    ATA_CLASS_PIO_OUT,          /* WRITE SECTORS/MULTIPLE (EXT) */
    ATA_CLASS_DMA,              /* READ/WRITE DMA (EXT) through the bus master */
    ATA_CLASS_IDENTIFY,         /* PIO in of the backend's IDENTIFY data */
    ATA_CLASS_FORWARD,          /* non-data, executed by the backend */
    ATA_CLASS_ACCEPT,           /* non-data with nothing to do for a remote disk */
    ATA_CLASS_SET_MULTIPLE,     /* non-data, the channel owns the DRQ block size */
    ATA_CLASS_CHECK_POWER_MODE, /* non-data, always "active or idle" */
    ATA_CLASS_DIAGNOSTIC,       /* EXECUTE DEVICE DIAGNOSTIC: signature, no backend */
    ATA_CLASS_COUNT,
};

/* Command flags. */
#define ATA_CMD_LBA48 0x01    /* 48-bit address and 16-bit count from the HOB registers */
#define ATA_CMD_SECTORS 0x02  /* count and LBA name sectors (count 0 = 256 or 65536) */
#define ATA_CMD_WRITE 0x04    /* data goes to the medium */
#define ATA_CMD_MULTIPLE 0x08 /* DRQ blocks of the SET MULTIPLE size instead of one sector */

struct ata_command {
    uint8_t command_class; /* enum ata_command_class */
    uint8_t flags;         /* ATA_CMD_* */
};

const struct ata_command *ata_command_lookup(uint8_t opcode);

/* Starts the command the guest wrote to the command register (device 0 selected, or EXECUTE
 * DEVICE DIAGNOSTIC, which both devices take). */
void ata_command_execute(struct ata_channel *ch, uint8_t opcode);

#endif
