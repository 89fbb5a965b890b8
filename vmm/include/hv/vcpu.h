/* SPDX-License-Identifier: MIT */
/* The architecture-neutral view of the one virtual CPU. Exit handlers that emulate devices,
 * firmware services and CPUID/MSR policy use only this interface; the SVM backend
 * (src/svm/) implements it over the VMCB, and a VT-x backend would implement it over a VMCS. */
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

uint64_t vcpu_rip(const struct vcpu *v);
void vcpu_set_rip(struct vcpu *v, uint64_t rip);
uint64_t vcpu_rflags(const struct vcpu *v);
void vcpu_set_rflags(struct vcpu *v, uint64_t rflags);
uint64_t vcpu_segment_base(const struct vcpu *v, enum insn_segment seg);
uint16_t vcpu_segment_selector(const struct vcpu *v, enum insn_segment seg);
enum cpu_mode vcpu_code_mode(const struct vcpu *v); /* 16/32/64-bit code, from CS and EFER.LMA */
void vcpu_paging(const struct vcpu *v, struct guest_paging *out);
void vcpu_inject_exception(struct vcpu *v, uint8_t vector, bool has_error_code, uint32_t error_code);

/* Prints the exit counts by reason on the hypervisor console. */
void vcpu_log_exit_stats(const char *why);

/* Skips the instruction that caused the exit (`length` bytes; TCG gives no NextRIP). */
static inline void vcpu_advance(struct vcpu *v, unsigned length) { vcpu_set_rip(v, vcpu_rip(v) + length); }

/* Linear address of the current instruction (CS base + RIP). */
static inline uint64_t vcpu_linear_rip(const struct vcpu *v) { return vcpu_segment_base(v, SEG_CS) + vcpu_rip(v); }

#endif
