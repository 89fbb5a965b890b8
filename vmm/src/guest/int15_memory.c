/* SPDX-License-Identifier: MIT */
/* INT 15h memory-size calls answered from the guest's E820 map (pure; host-tested). */
#include "guest/bios_services.h"

#define SMAP 0x534D4150u /* "SMAP" */
#define E820_ATTRIBUTE_ENABLED 1u

static void put_le(uint8_t *p, uint64_t value, unsigned bytes) {
    for (unsigned i = 0; i < bytes; i++) p[i] = (uint8_t)(value >> (8 * i));
}

static void set_low16(uint32_t *reg, uint16_t value) { *reg = (*reg & 0xFFFF0000u) | value; }

static void fail_unsupported(struct int15_regs *r) {
    r->eax = (r->eax & 0xFFFF00FFu) | 0x8600u; /* AH = 86h: function not supported */
    r->carry = true;
}

static void e820_call(const struct e820_entry *map, size_t count, struct int15_regs *r, struct e820_record *out) {
    if (r->edx != SMAP || r->ecx < 20 || r->ebx >= count) {
        fail_unsupported(r);
        return;
    }
    const struct e820_entry *e = &map[r->ebx];
    out->size = r->ecx >= 24 ? 24 : 20;
    put_le(out->bytes, e->base, 8);
    put_le(out->bytes + 8, e->length, 8);
    put_le(out->bytes + 16, e->type, 4);
    put_le(out->bytes + 20, E820_ATTRIBUTE_ENABLED, 4);
    r->eax = SMAP;
    r->ecx = out->size;
    r->ebx = r->ebx + 1 < count ? r->ebx + 1 : 0; /* 0: that was the last entry */
    r->carry = false;
}

void int15_memory_call(const struct e820_entry *map, size_t count, struct int15_regs *r, struct e820_record *out) {
    out->size = 0;
    struct legacy_mem legacy;
    if (r->eax == 0xE820u) {
        e820_call(map, count, r, out);
    } else if ((r->eax & 0xFFFFu) == 0xE801u) {
        e820_legacy_sizes(map, count, &legacy);
        set_low16(&r->eax, legacy.ax_kib_1m_16m);
        set_low16(&r->ecx, legacy.ax_kib_1m_16m);
        set_low16(&r->ebx, legacy.bx_64k_above_16m);
        set_low16(&r->edx, legacy.bx_64k_above_16m);
        r->carry = false;
    } else if ((r->eax & 0xFF00u) == 0x8800u) {
        e820_legacy_sizes(map, count, &legacy);
        set_low16(&r->eax, legacy.kib_above_1m_for_88h);
        r->carry = false;
    } else {
        fail_unsupported(r);
    }
}
