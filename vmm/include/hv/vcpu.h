/* SPDX-License-Identifier: MIT */
/* The architecture-neutral view of the one virtual CPU: its general registers and the backend's
 * state. What a backend does with it (the accessors exit handlers use) is in hv/cpu_backend.h. */
#ifndef HV_VCPU_H
#define HV_VCPU_H

#include <stdbool.h>
#include <stdint.h>

#include "mm/guest_walk.h"
#include "x86/insn_decode.h"

struct vcpu_gprs {
    uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
};

/* Segments are named by enum insn_segment (x86/insn_decode.h): SEG_ES .. SEG_GS. */

struct vcpu {
    struct vcpu_gprs gprs; /* all guest GPRs, valid while an exit is handled */
    void *arch;            /* the backend's state (struct svm_vcpu) */
};

#endif
