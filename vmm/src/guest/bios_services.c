/* SPDX-License-Identifier: MIT */
#include "guest/bios_services.h"

#include "console/log.h"
#include "hv/guest_memory.h"
#include "lib/string.h"

#define BDA_BASE_MEMORY_KIB 0x413
#define IVT_INT15 (0x15 * 4)
#define GUEST_MAP_CAPACITY 64
#define FLAGS_CF 0x1

extern const uint8_t bios_stub_start[], bios_stub_end[];

static struct e820_entry guest_map[GUEST_MAP_CAPACITY];
static size_t guest_map_count;
static uint64_t stub_linear;
static struct bios_stub_header stub;
static uint8_t boot_drive;

static uint16_t read16(uint64_t pa) {
    uint16_t v = 0;
    guest_phys_read(pa, &v, 2);
    return v;
}

static void write16(uint64_t pa, uint16_t v) { guest_phys_write(pa, &v, 2); }

bool guest_ram_covers(uint64_t gpa, size_t len) {
    return e820_covers(guest_map, guest_map_count, gpa, len, E820_USABLE);
}

static void log_guest_map(void) {
    log_printf("guest E820 map (%lu entries):\n", (uint64_t)guest_map_count);
    for (size_t i = 0; i < guest_map_count; i++)
        log_printf("  e820 %016lx-%016lx type %u\n", guest_map[i].base, guest_map[i].base + guest_map[i].length - 1,
                   guest_map[i].type);
}

struct bios_boot_entry bios_services_install(const struct e820_entry *firmware_map, size_t count, uint64_t hidden_base,
                                             uint64_t hidden_size, uint8_t drive) {
    uint64_t stub_size = (uint64_t)(bios_stub_end - bios_stub_start);
    uint16_t stub_kib = (uint16_t)((stub_size + 1023) / 1024);
    uint16_t base_kib = read16(BDA_BASE_MEMORY_KIB);
    if (base_kib < 512 || base_kib > 640)
        panic("implausible base memory size %u KiB in the BIOS data area\n", base_kib);
    uint16_t new_base_kib = (uint16_t)(base_kib - stub_kib);
    stub_linear = (uint64_t)new_base_kib * 1024;

    /* The guest's map: the firmware's, minus our RAM and the stub's conventional memory. */
    if (count > GUEST_MAP_CAPACITY) panic("firmware memory map too large (%lu entries)\n", (uint64_t)count);
    memcpy(guest_map, firmware_map, count * sizeof *firmware_map);
    guest_map_count = count;
    if (!e820_reserve(guest_map, &guest_map_count, GUEST_MAP_CAPACITY, hidden_base, hidden_size, E820_RESERVED) ||
        !e820_reserve(guest_map, &guest_map_count, GUEST_MAP_CAPACITY, stub_linear, (uint64_t)stub_kib * 1024,
                      E820_RESERVED))
        panic("guest memory map overflow\n");

    memcpy(&stub, bios_stub_start, sizeof stub);
    boot_drive = drive;
    guest_phys_write(stub_linear, bios_stub_start, stub_size);
    guest_phys_write(stub_linear + stub.boot_drive, &boot_drive, 1);
    uint32_t original_vector = 0;
    guest_phys_read(IVT_INT15, &original_vector, 4);
    guest_phys_write(stub_linear + stub.orig_int15, &original_vector, 4);
    uint16_t segment = (uint16_t)(stub_linear >> 4);
    uint32_t hook_vector = (uint32_t)segment << 16 | stub.int15_hook;
    guest_phys_write(IVT_INT15, &hook_vector, 4);
    write16(BDA_BASE_MEMORY_KIB, new_base_kib);

    log_printf("BIOS hooks at %lx (base memory %u -> %u KiB); INT 15h %04x:%04x chained\n", stub_linear, base_kib,
               new_base_kib, original_vector >> 16, original_vector & 0xFFFF);
    log_guest_map();
    return (struct bios_boot_entry){ segment, stub.boot_entry };
}

/* Sets or clears CF in the FLAGS that INT pushed (the stub returns with IRET). */
static void set_stacked_carry(struct vcpu *v, bool carry) {
    uint64_t flags_at = vcpu_segment_base(v, SEG_SS) + ((v->gprs.rsp + 4) & 0xFFFF);
    uint16_t flags = read16(flags_at);
    flags = carry ? (uint16_t)(flags | FLAGS_CF) : (uint16_t)(flags & ~FLAGS_CF);
    write16(flags_at, flags);
}

static void handle_int15(struct vcpu *v) {
    struct int15_regs r = { (uint32_t)v->gprs.rax, (uint32_t)v->gprs.rbx, (uint32_t)v->gprs.rcx, (uint32_t)v->gprs.rdx,
                            false };
    bool enumeration_start = r.eax == 0xE820u && r.ebx == 0;
    struct e820_record record;
    int15_memory_call(guest_map, guest_map_count, &r, &record);
    if (record.size) {
        uint64_t buffer = vcpu_segment_base(v, SEG_ES) + (v->gprs.rdi & 0xFFFF);
        if (!guest_linear_write(v, buffer, record.bytes, record.size)) r.carry = true;
    }
    if (enumeration_start) log_printf("guest reads the E820 map (INT 15h): hypervisor RAM hidden\n");
    v->gprs.rax = (v->gprs.rax & ~0xFFFFFFFFull) | r.eax;
    v->gprs.rbx = (v->gprs.rbx & ~0xFFFFFFFFull) | r.ebx;
    v->gprs.rcx = (v->gprs.rcx & ~0xFFFFFFFFull) | r.ecx;
    v->gprs.rdx = (v->gprs.rdx & ~0xFFFFFFFFull) | r.edx;
    set_stacked_carry(v, r.carry);
}

static void report_boot_failure(struct vcpu *v) {
    uint8_t status = (uint8_t)(v->gprs.rax >> 8);
    if (status == 0xFF)
        log_printf("boot failed: the first sector of BIOS drive %x has no boot signature (55AA)\n", boot_drive);
    else
        log_printf("boot failed: INT 13h could not read BIOS drive %x (status %02x); was a disk attached at POST?\n",
                   boot_drive, status);
}

bool bios_services_handle(struct vcpu *v, uint64_t linear_rip, unsigned insn_length) {
    if (!stub_linear) return false;
    /* The stub runs only in real mode: a protected-mode VMMCALL at the same linear address is a
     * guest tool's request, not a BIOS trap. */
    struct guest_paging paging;
    vcpu_paging(v, &paging);
    if (paging.cr0 & 1u) return false;
    if (linear_rip == stub_linear + stub.int15_trap) {
        handle_int15(v);
    } else if (linear_rip == stub_linear + stub.boot_fail_trap) {
        report_boot_failure(v);
    } else {
        return false;
    }
    vcpu_advance(v, insn_length);
    return true;
}
