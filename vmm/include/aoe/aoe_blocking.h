/* SPDX-License-Identifier: MIT */
/* The hypervisor's use of the AoE core with a NIC and the TSC clock: one polling round, or
 * blocking until discovery or one ATA command is done. */
#ifndef AOE_AOE_BLOCKING_H
#define AOE_AOE_BLOCKING_H

#include <stdbool.h>
#include <stdint.h>

#include "aoe/aoe_client.h"
#include "net/nic.h"

/* A silent target is reported on the console after this long, and again at this interval. */
#define AOE_SILENCE_REPORT_US 5000000u

/* One non-blocking round: queues whatever the core has due and rings the NIC's doorbell once,
 * then hands the core every frame that has arrived and returns their buffers with one more. A
 * frame the NIC refuses (ring full) is held and sent first in the next round, counted in
 * stats.tx_ring_full. While a command runs, its time goes to stats.time. For asynchronous use
 * (aoe_client_start, then aoe_pump on later exits until !c->busy). True when a frame went out or
 * came in. */
bool aoe_pump(struct aoe_client *c, struct nic *nic);

/* Broadcasts Query Config until the wanted target answers or timeout_us passes (reporting the
 * search every AOE_SILENCE_REPORT_US). True when c->target is found. */
bool aoe_discover(struct aoe_client *c, struct nic *nic, uint64_t timeout_us);

/* One command in steps, for running it while the guest runs: begin (false when it cannot start:
 * no target, malformed), advance on later exits until OVER (answered, failed, or past the
 * client's deadline: result AOE_RESULT_TIMEOUT), then finish to take the result. The console
 * reports a silent target, the deadline and the target's return as aoe_execute() does. The
 * command's busy time runs from begin to finish, so it includes whatever the guest did meanwhile. */
struct aoe_command_run {
    bool was_unreachable;
    uint64_t started_tsc;
};
enum aoe_command_step { AOE_COMMAND_IDLE, AOE_COMMAND_MOVED, AOE_COMMAND_OVER };
bool aoe_command_begin(struct aoe_client *c, const struct aoe_ata_command *cmd, struct aoe_command_run *run);
enum aoe_command_step aoe_command_advance(struct aoe_client *c, struct nic *nic, const struct aoe_command_run *run);
void aoe_command_finish(struct aoe_client *c, const struct aoe_command_run *run, struct aoe_ata_result *result);

/* Runs one command to completion and fills result. A silent target is retried and reported
 * ("AoE target e<shelf>.<slot> not answering; still retrying") every AOE_SILENCE_REPORT_US until
 * it answers or the client's deadline passes (result AOE_RESULT_TIMEOUT; see aoe_client_expire),
 * which is logged once, as is the target's return. False only when the command cannot start (no
 * target, malformed). */
bool aoe_execute(struct aoe_client *c, struct nic *nic, const struct aoe_ata_command *cmd,
                 struct aoe_ata_result *result);

#endif
