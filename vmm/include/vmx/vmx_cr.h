/* SPDX-License-Identifier: MIT */
/* The guest's CR0 and CR4 under VT-x. VMX fixes some of their bits while a guest runs (CR0.NE,
 * CR4.VMXE; vmx_caps.h); the hypervisor owns those bits (the guest/host masks of
 * vmx/vmcs_setup.c), so the guest reads its own values from the read shadows and a MOV that
 * changes an owned bit exits as a control-register access (Intel SDM vol. 3, 26.3 and table 28-3),
 * which these functions decode and answer. Pure. */
#ifndef VMX_VMX_CR_H
#define VMX_VMX_CR_H

#include <stdint.h>

#include "vmx/vmx_caps.h"

enum vmx_cr_access_type { VMX_CR_MOV_TO, VMX_CR_MOV_FROM, VMX_CR_CLTS, VMX_CR_LMSW };

struct vmx_cr_access {
    uint8_t cr; /* 0, 3, 4 or 8 */
    enum vmx_cr_access_type type;
    uint8_t gpr;          /* MOV: the general register, 0 = RAX ... 15 = R15 (4 = RSP) */
    uint16_t lmsw_source; /* LMSW: its operand */
};

/* The exit qualification of a control-register access. */
struct vmx_cr_access vmx_decode_cr_access(uint64_t qualification);

/* What a guest's MOV to CR0 or CR4 of `value` becomes: the value the CPU runs with (VMX's fixed
 * bits forced; with unrestricted guest, PE and PG as the guest wrote them) and the one the guest
 * reads back (what it wrote). */
struct vmx_cr_values {
    uint64_t actual, shadow;
};
struct vmx_cr_values vmx_guest_cr0_write(const struct vmx_capabilities *caps, uint64_t value);
struct vmx_cr_values vmx_guest_cr4_write(const struct vmx_capabilities *caps, uint64_t value);

#endif
