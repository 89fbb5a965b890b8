/* SPDX-License-Identifier: MIT */
#include "storage/aoe_backend.h"

#include "aoe/aoe_blocking.h"

static enum ata_backend_outcome execute(void *ctx, const struct ata_backend_command *cmd,
                                        struct ata_backend_result *result) {
    struct aoe_backend_session *session = ctx;
    struct aoe_ata_command command = aoe_command_for(cmd);
    struct aoe_ata_result answer;
    if (!aoe_execute(session->client, session->nic, &command, &answer)) return ATA_BACKEND_FAILED;
    return ata_result_for(cmd, &answer, result);
}

static bool unreachable(void *ctx) {
    struct aoe_backend_session *session = ctx;
    return session->client->unreachable;
}

struct ata_backend aoe_backend(struct aoe_backend_session *session) {
    return (struct ata_backend){ .ctx = session, .execute = execute, .unreachable = unreachable };
}
