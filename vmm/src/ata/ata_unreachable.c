/* SPDX-License-Identifier: MIT */
/* What the channel answers itself while its backend cannot reach the disk (an AoE target gone
 * past aoe_deadline, a cut wire): when a command fails for that reason, or at once when the
 * backend already knows the disk is out of reach. A guest driver whose command failed resets
 * the channel and revalidates the disk: Linux's libata sends IDENTIFY DEVICE, compares the answer with what it
 * knew, and selects the transfer mode again with SET FEATURES. If those fail as well, libata
 * disables the disk for good and a server that returns finds no one using it. Neither command
 * touches the medium, and the disk's identity cannot change while nobody reaches it, so the
 * channel answers both from the last IDENTIFY data the backend returned. Every other command
 * still fails until the backend answers again. */
#include "ata_device.h"
#include "lib/string.h"

void ata_identity_remember(struct ata_channel *ch) {
    memcpy(ch->identity, ch->buffer, ATA_SECTOR_BYTES);
    ch->identity_known = true;
}

static uint16_t identity_word(const struct ata_channel *ch, unsigned word) {
    return (uint16_t)(ch->identity[2 * word] | ch->identity[2 * word + 1] << 8);
}

static void set_identity_high_byte(struct ata_channel *ch, unsigned word, uint8_t value) {
    ch->identity[2 * word + 1] = value;
}

/* The check a disk makes on SET FEATURES 03h: the mode must be one its IDENTIFY advertises. */
static bool transfer_mode_supported(const struct ata_channel *ch, uint8_t value) {
    unsigned mode = value & ATA_XFER_MODE_MASK;
    switch (value & ATA_XFER_TYPE_MASK) {
    case ATA_XFER_PIO_DEFAULT: return mode <= 1;
    case ATA_XFER_PIO_FLOW:
        return mode <= 2 || (mode <= 4 && (identity_word(ch, ATA_ID_WORD_PIO_MODES) >> (mode - 3)) & 1);
    case ATA_XFER_MWDMA: return mode <= 2 && (identity_word(ch, ATA_ID_WORD_MWDMA_MODES) >> mode) & 1;
    case ATA_XFER_UDMA: return mode <= 6 && (identity_word(ch, ATA_ID_WORD_UDMA_MODES) >> mode) & 1;
    default: return false;
    }
}

/* The selected-mode bits (high bytes of words 63 and 88) follow a DMA mode selection, as the
 * disk's own IDENTIFY would after it. */
static void select_transfer_mode(struct ata_channel *ch, uint8_t value) {
    uint8_t selected = (uint8_t)(1u << (value & ATA_XFER_MODE_MASK));
    switch (value & ATA_XFER_TYPE_MASK) {
    case ATA_XFER_MWDMA:
        set_identity_high_byte(ch, ATA_ID_WORD_MWDMA_MODES, selected);
        set_identity_high_byte(ch, ATA_ID_WORD_UDMA_MODES, 0);
        break;
    case ATA_XFER_UDMA:
        set_identity_high_byte(ch, ATA_ID_WORD_UDMA_MODES, selected);
        set_identity_high_byte(ch, ATA_ID_WORD_MWDMA_MODES, 0);
        break;
    default: break; /* PIO modes show in no IDENTIFY word */
    }
}

bool ata_answer_unreachable(struct ata_channel *ch) {
    const struct ata_backend_command *cmd = &ch->backend_command;
    if (!ch->identity_known) return false;
    switch (cmd->opcode) {
    case ATA_CMD_IDENTIFY_DEVICE: memcpy(ch->buffer, ch->identity, ATA_SECTOR_BYTES); break;
    case ATA_CMD_SET_FEATURES:
        if (cmd->features != ATA_FEATURE_SET_TRANSFER_MODE || !transfer_mode_supported(ch, (uint8_t)cmd->count))
            return false;
        select_transfer_mode(ch, (uint8_t)cmd->count);
        break;
    default: return false;
    }
    ch->unreachable_answers++;
    return true;
}
