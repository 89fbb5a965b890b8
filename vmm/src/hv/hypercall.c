/* SPDX-License-Identifier: MIT */
#include "hv/hypercall.h"

#include "aoe/aoe_boot.h"
#include "guest/bios_services.h"

static uint32_t ping(void) { return HYPERCALL_PONG; }

static uint32_t log_exit_stats(void) {
    vcpu_log_exit_stats("on guest request");
    return HYPERCALL_OK;
}

static uint32_t reset_aoe_stats(void) {
    struct aoe_stats *stats = aoe_boot_stats();
    if (!stats) return HYPERCALL_NO_AOE;
    aoe_stats_reset(stats);
    return HYPERCALL_OK;
}

static uint32_t log_aoe_stats(void) {
    struct aoe_stats *stats = aoe_boot_stats();
    if (!stats) return HYPERCALL_NO_AOE;
    aoe_stats_log(stats, "guest request");
    return HYPERCALL_OK;
}

static const struct {
    uint32_t function;
    uint32_t (*handle)(void);
} functions[] = {
    { HYPERCALL_PING, ping },
    { HYPERCALL_LOG_STATS, log_exit_stats },
    { HYPERCALL_AOE_STATS_RESET, reset_aoe_stats },
    { HYPERCALL_AOE_STATS_LOG, log_aoe_stats },
};

static bool user_allowed;

void hypercall_allow_user(bool allowed) { user_allowed = allowed; }

void hypercall_handle(struct vcpu *v, unsigned insn_length) {
    /* The BIOS hook stubs are recognised by address; they also run in virtual-8086 mode (CPL 3). */
    if (bios_services_handle(v, vcpu_linear_rip(v), insn_length)) return;
    if (!user_allowed && vcpu_privilege_level(v) != 0) {
        vcpu_inject_exception(v, VECTOR_UD, false, 0);
        return;
    }

    uint32_t function = (uint32_t)v->gprs.rax;
    uint32_t result = HYPERCALL_UNKNOWN;
    for (unsigned i = 0; i < sizeof functions / sizeof functions[0]; i++) {
        if (functions[i].function == function) result = functions[i].handle();
    }
    v->gprs.rax = result;
    vcpu_advance(v, insn_length);
}
