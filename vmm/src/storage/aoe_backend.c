/* SPDX-License-Identifier: MIT */
#include "storage/aoe_backend.h"

#include "x86/cpu.h"

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
    session->last_poll_end_tsc = rdtsc();
    /* The first window of requests leaves now, not at the next exit. */
    if (aoe_command_advance(session->client, session->nic, &session->run) == AOE_COMMAND_OVER) {
        struct aoe_ata_result answer;
        aoe_command_finish(session->client, &session->run, &answer);
        return ata_result_for(cmd, &answer, result);
    }
    return ATA_BACKEND_PENDING;
}

/* Rounds a poll always runs while frames keep moving, whatever its slice: enough to drain a burst
 * of answers and refill the window, so that back-to-back polls (an idle guest's HLT) do not pay the
 * exit path's cost per frame. */
#define BURST_ROUNDS 8

/* One slice of the exchange (aoe_backend.h): the burst, then rounds until the command is over or
 * the slice is spent. */
static enum ata_backend_outcome poll(void *ctx) {
    struct aoe_backend_session *session = ctx;
    uint64_t start = rdtsc();
    uint64_t guest_ran = start - session->last_poll_end_tsc;
    uint64_t slice = guest_ran / (100 - session->share_percent) * session->share_percent;
    enum aoe_command_step step;
    for (unsigned rounds = 1;; rounds++) {
        step = aoe_command_advance(session->client, session->nic, &session->run);
        if (step == AOE_COMMAND_OVER) break;
        bool bursting = step == AOE_COMMAND_MOVED && rounds < BURST_ROUNDS;
        if (!bursting && rdtsc() - start >= slice) break;
        if (step == AOE_COMMAND_IDLE) cpu_relax();
    }
    session->last_poll_end_tsc = rdtsc();
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
