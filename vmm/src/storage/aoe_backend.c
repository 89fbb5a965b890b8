/* SPDX-License-Identifier: MIT */
#include "storage/aoe_backend.h"

static enum ata_backend_outcome execute(void *ctx, const struct ata_backend_command *cmd,
                                        struct ata_backend_result *result) {
    struct aoe_backend_session *session = ctx;
    struct aoe_ata_command command = aoe_command_for(cmd);
    if (!session->asynchronous) {
        struct aoe_ata_result answer;
        if (!aoe_execute(session->client, session->nic, &command, &answer)) return ATA_BACKEND_FAILED;
        return ata_result_for(cmd, &answer, result);
    }
    if (!aoe_command_begin(session->client, &command, &session->run)) return ATA_BACKEND_FAILED;
    session->pending = cmd;
    session->pending_result = result;
    /* The first window of requests leaves now, not at the next exit. */
    if (aoe_command_advance(session->client, session->nic, &session->run) == AOE_COMMAND_OVER) {
        struct aoe_ata_result answer;
        aoe_command_finish(session->client, &session->run, &answer);
        return ata_result_for(cmd, &answer, result);
    }
    return ATA_BACKEND_PENDING;
}

/* Rounds one poll may run while frames keep moving: enough to drain a burst of answers and
 * refill the window, few enough that the guest's interrupt is not held back for long. */
#define POLL_ROUNDS 8

static enum ata_backend_outcome poll(void *ctx) {
    struct aoe_backend_session *session = ctx;
    enum aoe_command_step step = AOE_COMMAND_MOVED;
    for (unsigned round = 0; round < POLL_ROUNDS && step == AOE_COMMAND_MOVED; round++)
        step = aoe_command_advance(session->client, session->nic, &session->run);
    if (step != AOE_COMMAND_OVER) return ATA_BACKEND_PENDING;
    struct aoe_ata_result answer;
    aoe_command_finish(session->client, &session->run, &answer);
    return ata_result_for(session->pending, &answer, session->pending_result);
}

static bool unreachable(void *ctx) {
    struct aoe_backend_session *session = ctx;
    return session->client->unreachable;
}

struct ata_backend aoe_backend(struct aoe_backend_session *session) {
    return (struct ata_backend){ .ctx = session, .execute = execute, .poll = poll, .unreachable = unreachable };
}
