/* SPDX-License-Identifier: MIT */
/* MSRs that configure the whole machine rather than the program running on it: the MTRRs (the
 * memory type of physical ranges, the hypervisor's own included), SYSCFG (memory-controller and
 * MTRR modes) and TOP_MEM/TOP_MEM2 (where DRAM ends). The guest gets its own copy of each,
 * initialised from the CPU and read back as the guest wrote it; the CPU keeps the firmware's
 * values. Memory types the guest sets through MTRRs therefore take no effect (its PAT still
 * does). Architecture-neutral and pure, host-tested: the backend intercepts the listed MSRs and
 * routes their RDMSR/WRMSR here. */
#ifndef HV_HOST_MSRS_H
#define HV_HOST_MSRS_H

#include <stdbool.h>
#include <stdint.h>

#define MSR_MTRR_CAP 0x000000FEu
#define MSR_MTRR_PHYS_BASE0 0x00000200u /* base/mask pairs: 200h+2n, 201h+2n */
#define MSR_MTRR_FIX_64K 0x00000250u
#define MSR_MTRR_FIX_16K_80000 0x00000258u
#define MSR_MTRR_FIX_16K_A0000 0x00000259u
#define MSR_MTRR_FIX_4K_C0000 0x00000268u /* ... 26Fh: 4K ranges C0000h-FFFFFh */
#define MSR_MTRR_DEF_TYPE 0x000002FFu
#define MSR_AMD_SYSCFG 0xC0010010u
#define MSR_AMD_TOP_MEM 0xC001001Au
#define MSR_AMD_TOP_MEM2 0xC001001Du

#define CPUID_1_EDX_MTRR (1u << 12)
#define MTRR_CAP_VCNT_MASK 0xFFu
#define MTRR_CAP_FIX (1u << 8)

/* Which of them this CPU has (CPUID 1 EDX.MTRR, MTRRcap, vendor). */
struct host_msr_presence {
    bool mtrr;
    bool fixed_mtrrs;
    unsigned variable_mtrrs; /* MTRRcap.VCNT */
    bool amd_memory_map;     /* SYSCFG, TOP_MEM, TOP_MEM2 (AMD family 0Fh and later) */
};

#define HOST_MSRS_MAX 64

/* Lists the MSRs present, in a fixed order, and takes each one's value with `read`. Returns how
 * many: the backend intercepts reads and writes of host_msrs_at(0 .. count-1). */
unsigned host_msrs_init(const struct host_msr_presence *presence, uint64_t (*read)(uint32_t msr));
uint32_t host_msrs_at(unsigned index);

/* A guest RDMSR/WRMSR: false when `msr` is not one of them. `first_write` is set on the first
 * write to that MSR (the backend logs it once). */
bool host_msrs_read(uint32_t msr, uint64_t *value);
bool host_msrs_write(uint32_t msr, uint64_t value, bool *first_write);

#endif
