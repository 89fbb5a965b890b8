/* SPDX-License-Identifier: MIT */
/* INT 15h memory-size answers (E820h, E801h, 88h) from a guest map with the hypervisor hidden. */
#include "tap.h"
#include "guest/bios_services.h"

#define SMAP 0x534D4150u

/* A QEMU/SeaBIOS-like map with 1 GiB of RAM, the hypervisor at 0x3DE00000 (32 MiB) hidden. */
static const struct e820_entry map[] = {
    { 0x0, 0x9F800, E820_USABLE },
    { 0x9F800, 0x800, E820_RESERVED },
    { 0xF0000, 0x10000, E820_RESERVED },
    { 0x100000, 0x3DD00000, E820_USABLE },
    { 0x3DE00000, 0x2000000, E820_RESERVED },
    { 0x3FE00000, 0x1E0000, E820_USABLE },
    { 0xFFFC0000, 0x40000, E820_RESERVED },
};
#define COUNT (sizeof map / sizeof map[0])

static uint64_t le(const uint8_t *p, unsigned n) {
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++) v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static void e820_walks_every_entry_then_ends(void) {
    struct int15_regs r = { .ebx = 0 };
    struct e820_record rec;
    for (size_t i = 0; i < COUNT; i++) {
        r.eax = 0xE820;
        r.edx = SMAP;
        r.ecx = 20;
        r.carry = true;
        int15_memory_call(map, COUNT, &r, &rec);
        CHECK(!r.carry);
        CHECK_EQ_U64(r.eax, SMAP);
        CHECK_EQ_U64(r.ecx, 20);
        CHECK_EQ_U64(rec.size, 20);
        CHECK_EQ_U64(le(rec.bytes, 8), map[i].base);
        CHECK_EQ_U64(le(rec.bytes + 8, 8), map[i].length);
        CHECK_EQ_U64(le(rec.bytes + 16, 4), map[i].type);
        CHECK_EQ_U64(r.ebx, i + 1 < COUNT ? i + 1 : 0);
    }
}

static void e820_extended_attributes_for_24_byte_buffers(void) {
    struct int15_regs r = { .eax = 0xE820, .ebx = 3, .ecx = 24, .edx = SMAP };
    struct e820_record rec;
    int15_memory_call(map, COUNT, &r, &rec);
    CHECK_EQ_U64(r.ecx, 24);
    CHECK_EQ_U64(rec.size, 24);
    CHECK_EQ_U64(le(rec.bytes + 20, 4), 1); /* enabled */
}

static void e820_errors_set_carry(void) {
    struct e820_record rec;
    struct int15_regs bad_signature = { .eax = 0xE820, .ecx = 20, .edx = 0x12345678 };
    int15_memory_call(map, COUNT, &bad_signature, &rec);
    CHECK(bad_signature.carry);
    CHECK_EQ_U64(rec.size, 0);
    CHECK_EQ_U64((bad_signature.eax >> 8) & 0xFF, 0x86);
    struct int15_regs small_buffer = { .eax = 0xE820, .ecx = 16, .edx = SMAP };
    int15_memory_call(map, COUNT, &small_buffer, &rec);
    CHECK(small_buffer.carry);
    struct int15_regs past_end = { .eax = 0xE820, .ebx = COUNT, .ecx = 20, .edx = SMAP };
    int15_memory_call(map, COUNT, &past_end, &rec);
    CHECK(past_end.carry);
}

static void e801_stops_at_the_hypervisor(void) {
    struct int15_regs r = { .eax = 0xABCDE801, .ebx = 0xFFFF0000, .ecx = 0, .edx = 0, .carry = true };
    struct e820_record rec;
    int15_memory_call(map, COUNT, &r, &rec);
    CHECK(!r.carry);
    CHECK_EQ_U64(r.eax, 0xABCD3C00); /* 15 MiB between 1 and 16 MiB; upper half kept */
    CHECK_EQ_U64(r.ecx & 0xFFFF, 0x3C00);
    CHECK_EQ_U64(r.ebx, 0xFFFF0000 | ((0x3DE00000 - 0x1000000) / 0x10000));
    CHECK_EQ_U64(r.edx & 0xFFFF, (0x3DE00000 - 0x1000000) / 0x10000);
    CHECK_EQ_U64(rec.size, 0);
}

static void ah88_is_capped(void) {
    struct int15_regs r = { .eax = 0x8800 };
    struct e820_record rec;
    int15_memory_call(map, COUNT, &r, &rec);
    CHECK(!r.carry);
    CHECK_EQ_U64(r.eax & 0xFFFF, 0xFFFF);
}

static void other_functions_are_refused(void) {
    struct int15_regs r = { .eax = 0xC000 };
    struct e820_record rec;
    int15_memory_call(map, COUNT, &r, &rec);
    CHECK(r.carry);
}

int main(void) {
    TEST(e820_walks_every_entry_then_ends);
    TEST(e820_extended_attributes_for_24_byte_buffers);
    TEST(e820_errors_set_carry);
    TEST(e801_stops_at_the_hypervisor);
    TEST(ah88_is_capped);
    TEST(other_functions_are_refused);
    return tap_finish();
}
