/* SPDX-License-Identifier: MIT */
/* Pure mapping between the ATA channel's backend commands and AoE client commands. */
#include "storage/aoe_backend.h"

struct aoe_ata_command aoe_command_for(const struct ata_backend_command *cmd) {
    return (struct aoe_ata_command){
        .opcode = cmd->opcode,
        .features = cmd->features,
        .count_register = (uint8_t)cmd->count,
        .sectors = cmd->buffer ? cmd->count : 0,
        .lba = cmd->lba,
        .lba48 = cmd->lba48,
        .write = cmd->write,
        .data = cmd->buffer,
    };
}

enum ata_backend_outcome ata_result_for(const struct ata_backend_command *cmd, const struct aoe_ata_result *r,
                                        struct ata_backend_result *out) {
    switch (r->kind) {
    case AOE_RESULT_OK:
        out->status = r->status;
        /* Non-data commands answer in the task file (READ NATIVE MAX); data commands leave the
         * channel's view of count and LBA. */
        if (!cmd->buffer) {
            out->count = r->count_register;
            out->lba = r->lba;
        }
        return ATA_BACKEND_DONE;
    case AOE_RESULT_ATA_ERROR:
        out->status = r->status;
        out->error = r->error;
        out->lba = r->lba;
        return ATA_BACKEND_DONE;
    case AOE_RESULT_AOE_ERROR:
    case AOE_RESULT_TIMEOUT: break;
    }
    return ATA_BACKEND_FAILED; /* the guest sees the command aborted (ERR, ABRT) */
}
