/* SPDX-License-Identifier: MIT */
/* The emulated ATA device's medium over AoE: each backend command becomes one AoE ATA command.
 * Asynchronous (the paper's design and the default): execute() sends the command's first requests
 * and returns PENDING, the guest runs on with the device BSY, and poll() advances the exchange on
 * later exits until the last answer is in. Blocking (aoe_completion=blocking, for comparison): the
 * command runs to completion before the exit handler returns, so the guest's clock interrupts
 * wait while its disk works.
 *
 * The hypervisor gets the CPU back only at the guest's exits (its clock tick at the latest), not
 * when an answer arrives. A poll therefore runs for a slice of time, not only while answers keep
 * coming: the time the guest ran since the previous poll, scaled so that the disk takes
 * share_percent of the CPU while the guest computes (aoe_share, default 50: as long again). A poll
 * waits for answers within its slice, as the server answers a window in about a millisecond and the next
 * exit may be a tick (4 ms) away; an idle guest's HLT polls back to back, so the disk then gets
 * all the time it can use. */
#ifndef STORAGE_AOE_BACKEND_H
#define STORAGE_AOE_BACKEND_H

#include "aoe/aoe_blocking.h"
#include "aoe/aoe_client.h"
#include "ata/ata_backend.h"
#include "net/nic.h"

struct aoe_backend_session {
    struct aoe_client *client;
    struct nic *nic;
    bool asynchronous;
    unsigned share_percent; /* 1-99 */
    uint64_t last_poll_end_tsc;
    /* The pending command (asynchronous): what the channel keeps valid until it is done. */
    const struct ata_backend_command *pending;
    struct ata_backend_result *pending_result;
    struct aoe_command_run run;
};

struct ata_backend aoe_backend(struct aoe_backend_session *session);

/* Pure: the AoE command for a backend command, and the backend result for an AoE result. */
struct aoe_ata_command aoe_command_for(const struct ata_backend_command *cmd);
enum ata_backend_outcome ata_result_for(const struct ata_backend_command *cmd, const struct aoe_ata_result *r,
                                        struct ata_backend_result *out);

#endif
