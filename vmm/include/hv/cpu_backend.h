/* SPDX-License-Identifier: MIT */
/* Everything a CPU virtualisation backend provides, in one list. AMD SVM implements it in
 * src/svm/ over the VMCB; an Intel VT-x backend would implement the same functions over a VMCS.
 * The rest of the hypervisor (the boot sequence, device emulation, firmware services, CPUID and
 * MSR policy) reaches the CPU only through these. */
#ifndef HV_CPU_BACKEND_H
#define HV_CPU_BACKEND_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/vcpu.h"

/* ---- life cycle (src/boot/main.c) ---- */

/* Where the guest starts: real mode at segment:offset, as after the BIOS, on these nested page
 * tables (guest-physical to host-physical). */
struct guest_start {
    uint16_t cs_selector;
    uint16_t ip;
    uint64_t npt_root_pa;
};

/* NULL when this CPU can run the hypervisor, else a sentence saying why not and what to do. */
const char *cpu_backend_unsupported_reason(void);
/* Turns virtualisation on for this CPU (e.g. EFER.SVME and the host save area). */
void cpu_backend_enable(void);
/* Builds the one virtual CPU in its reset-like real-mode state; panic() then prints its state. */
struct vcpu *cpu_backend_create_vcpu(const struct guest_start *start);
/* Runs the guest forever, handling exits. */
__attribute__((noreturn)) void cpu_backend_run(struct vcpu *vcpu);

/* ---- the guest's state, for exit handlers ---- */

uint64_t vcpu_rip(const struct vcpu *v);
void vcpu_set_rip(struct vcpu *v, uint64_t rip);
uint64_t vcpu_rflags(const struct vcpu *v);
void vcpu_set_rflags(struct vcpu *v, uint64_t rflags);
uint64_t vcpu_segment_base(const struct vcpu *v, enum insn_segment seg);
uint16_t vcpu_segment_selector(const struct vcpu *v, enum insn_segment seg);
enum cpu_mode vcpu_code_mode(const struct vcpu *v);  /* 16/32/64-bit code, from CS and EFER.LMA */
unsigned vcpu_privilege_level(const struct vcpu *v); /* CPL: 0 in real mode, 3 in virtual-8086 mode */
void vcpu_paging(const struct vcpu *v, struct guest_paging *out);
/* Exception vectors the hypervisor raises in the guest. */
#define VECTOR_UD 6  /* invalid opcode */
#define VECTOR_GP 13 /* general protection */
#define VECTOR_PF 14 /* page fault */
void vcpu_inject_exception(struct vcpu *v, uint8_t vector, bool has_error_code, uint32_t error_code);
/* #PF at `linear` (the guest's CR2) with `error_code`. */
void vcpu_inject_page_fault(struct vcpu *v, uint64_t linear, uint32_t error_code);

/* Prints the exit counts by reason on the hypervisor console. */
void vcpu_log_exit_stats(const char *why);

/* Skips the instruction that caused the exit (`length` bytes; TCG gives no NextRIP). */
static inline void vcpu_advance(struct vcpu *v, unsigned length) { vcpu_set_rip(v, vcpu_rip(v) + length); }

/* Linear address of the current instruction (CS base + RIP). */
static inline uint64_t vcpu_linear_rip(const struct vcpu *v) { return vcpu_segment_base(v, SEG_CS) + vcpu_rip(v); }

/* ---- intercepts ---- */

/* Sets or clears the exit on one I/O port (io_ports_claim in src/io/ keeps the table). */
void vcpu_intercept_io_port(struct vcpu *v, uint16_t port, bool intercept);

/* While on, the guest's external interrupts and its HLT exit to the hypervisor (hv/background.h):
 * the backend hands each interrupt on to the guest, which sees it as if nothing had intervened,
 * and turns HLT into a loop that gives the background work its turns until an interrupt would
 * wake the guest. */
void vcpu_intercept_interrupts(struct vcpu *v, bool on);

#endif
