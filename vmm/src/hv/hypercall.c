#include "hv/hypercall.h"

#include "console/log.h"
#include "guest/bios_services.h"

void hypercall_handle(struct vcpu *v, unsigned insn_length) {
    if (bios_services_handle(v, vcpu_linear_rip(v), insn_length)) return;

    uint32_t function = (uint32_t)v->gprs.rax;
    switch (function) {
    case HYPERCALL_PING:
        v->gprs.rax = HYPERCALL_PONG;
        break;
    case HYPERCALL_LOG_STATS:
        vcpu_log_exit_stats("on guest request");
        v->gprs.rax = 0;
        break;
    default:
        v->gprs.rax = HYPERCALL_UNKNOWN;
        break;
    }
    vcpu_advance(v, insn_length);
}
