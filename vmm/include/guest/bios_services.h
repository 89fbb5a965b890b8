/* SPDX-License-Identifier: MIT */
/* The firmware services the hypervisor adds under the guest's BIOS: hiding its RAM from the
 * memory-size calls of INT 15h, and booting the first disk. */
#ifndef GUEST_BIOS_SERVICES_H
#define GUEST_BIOS_SERVICES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hv/cpu_backend.h"
#include "mm/e820.h"

struct bios_stub_header {
    uint16_t int15_hook, int15_trap, orig_int15, boot_entry, boot_drive, boot_fail_trap;
};

struct bios_boot_entry {
    uint16_t segment, offset;
};

/* Copies the stub below the EBDA (shrinking the BDA's base memory size), hooks INT 15h, hides the
 * stub and `hidden` (the hypervisor's region) in the guest's E820 map derived from `firmware_map`,
 * and returns the real-mode entry that boots `boot_drive`. */
struct bios_boot_entry bios_services_install(const struct e820_entry *firmware_map, size_t count, uint64_t hidden_base,
                                             uint64_t hidden_size, uint8_t boot_drive);

/* True when [gpa, gpa+len) is usable RAM in the memory map the guest is shown (not the
 * hypervisor's region, the stub, firmware or device memory). */
bool guest_ram_covers(uint64_t gpa, size_t len);

/* Handles a VMMCALL if it came from the stub; false otherwise. */
bool bios_services_handle(struct vcpu *v, uint64_t linear_rip, unsigned insn_length);

/* Pure parts, host-tested: the answer to one INT 15h memory-size call. */
struct int15_regs {
    uint32_t eax, ebx, ecx, edx;
    bool carry;
};
struct e820_record { /* what E820h writes to ES:DI */
    uint8_t bytes[24];
    uint32_t size; /* 0: nothing to write */
};
void int15_memory_call(const struct e820_entry *map, size_t count, struct int15_regs *regs, struct e820_record *out);

#endif
