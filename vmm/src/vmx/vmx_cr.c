/* SPDX-License-Identifier: MIT */
#include "vmx/vmx_cr.h"

struct vmx_cr_access vmx_decode_cr_access(uint64_t q) {
    return (struct vmx_cr_access){
        .cr = (uint8_t)(q & 0xF),
        .type = (enum vmx_cr_access_type)(q >> 4 & 3),
        .gpr = (uint8_t)(q >> 8 & 0xF),
        .lmsw_source = (uint16_t)(q >> 16),
    };
}

struct vmx_cr_values vmx_guest_cr0_write(const struct vmx_capabilities *caps, uint64_t value) {
    return (struct vmx_cr_values){ .actual = vmx_fixed_cr0(caps, value, true), .shadow = value };
}

struct vmx_cr_values vmx_guest_cr4_write(const struct vmx_capabilities *caps, uint64_t value) {
    return (struct vmx_cr_values){ .actual = vmx_fixed_cr4(caps, value), .shadow = value };
}
