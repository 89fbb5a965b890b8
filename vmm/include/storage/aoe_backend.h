/* SPDX-License-Identifier: MIT */
/* The emulated ATA device's medium over AoE: each backend command becomes one AoE ATA command,
 * run to completion before the exit handler returns (the guest waits, as for a disk). */
#ifndef STORAGE_AOE_BACKEND_H
#define STORAGE_AOE_BACKEND_H

#include "aoe/aoe_client.h"
#include "ata/ata_backend.h"
#include "net/nic.h"

struct aoe_backend_session {
    struct aoe_client *client;
    struct nic *nic;
};

struct ata_backend aoe_backend(struct aoe_backend_session *session);

/* Pure: the AoE command for a backend command, and the backend result for an AoE result. */
struct aoe_ata_command aoe_command_for(const struct ata_backend_command *cmd);
enum ata_backend_outcome ata_result_for(const struct ata_backend_command *cmd, const struct aoe_ata_result *r,
                                        struct ata_backend_result *out);

#endif
