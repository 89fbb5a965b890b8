/* SPDX-License-Identifier: MIT */
/* Counting CPUs in synthetic ACPI tables: RSDP search (EBDA and BIOS area), RSDT and XSDT, MADT
 * local APIC and x2APIC entries, enabled / online-capable / disabled processors, broken tables. */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "x86/acpi_cpus.h"

#define MEMORY_SIZE 0x200000
static uint8_t *memory;

static bool read_memory(void *ctx, uint64_t pa, void *buf, size_t len) {
    (void)ctx;
    if (pa + len > MEMORY_SIZE) return false;
    memcpy(buf, memory + pa, len);
    return true;
}

static void put32(uint64_t pa, uint32_t v) {
    for (int i = 0; i < 4; i++) memory[pa + i] = (uint8_t)(v >> (8 * i));
}
static void put64(uint64_t pa, uint64_t v) {
    put32(pa, (uint32_t)v);
    put32(pa + 4, (uint32_t)(v >> 32));
}

static void fix_checksum(uint64_t pa, size_t len, size_t checksum_offset) {
    uint8_t sum = 0;
    memory[pa + checksum_offset] = 0;
    for (size_t i = 0; i < len; i++) sum = (uint8_t)(sum + memory[pa + i]);
    memory[pa + checksum_offset] = (uint8_t)-sum;
}

static void sdt_header(uint64_t pa, const char *sig, uint32_t length) {
    memcpy(memory + pa, sig, 4);
    put32(pa + 4, length);
}

/* Lays out RSDP -> RSDT (or XSDT) -> [FACP-like dummy, MADT with `entries`]. */
static void build_tables(uint64_t rsdp_at, bool xsdt, const uint8_t *entries, size_t entries_len) {
    memset(memory, 0, MEMORY_SIZE);
    uint64_t root = 0x100000, dummy = 0x100100, madt = 0x100200;
    memcpy(memory + rsdp_at, "RSD PTR ", 8);
    memory[rsdp_at + 15] = xsdt ? 2 : 0;
    put32(rsdp_at + 16, (uint32_t)root);
    if (xsdt) put64(rsdp_at + 24, root);
    fix_checksum(rsdp_at, 20, 8);
    unsigned pointer = xsdt ? 8 : 4;
    sdt_header(root, xsdt ? "XSDT" : "RSDT", 36 + 2 * pointer);
    if (xsdt) {
        put64(root + 36, dummy);
        put64(root + 44, madt);
    } else {
        put32(root + 36, (uint32_t)dummy);
        put32(root + 40, (uint32_t)madt);
    }
    sdt_header(dummy, "FACP", 36);
    sdt_header(madt, "APIC", (uint32_t)(44 + entries_len));
    memcpy(memory + madt + 44, entries, entries_len);
}

#define LAPIC(id, flags) 0, 8, id, id, (flags), 0, 0, 0
#define X2APIC(id, flags) 9, 16, 0, 0, id, 0, 0, 0, (flags), 0, 0, 0, 0, 0, 0, 0
#define IOAPIC 1, 12, 0, 0, 0, 0, 0xC0, 0xFE, 0, 0, 0, 0

static enum acpi_cpus_result count(uint16_t ebda_segment, unsigned *cpus) {
    *cpus = 0;
    return acpi_count_cpus(read_memory, 0, ebda_segment, cpus);
}

static void one_cpu_in_the_bios_area(void) {
    const uint8_t e[] = { LAPIC(0, 1), IOAPIC };
    build_tables(0xF5A40, false, e, sizeof e);
    unsigned cpus;
    CHECK_EQ_U64(count(0x9FC0, &cpus), ACPI_CPUS_OK);
    CHECK_EQ_U64(cpus, 1);
}

static void enabled_and_online_capable_count_disabled_do_not(void) {
    const uint8_t e[] = { LAPIC(0, 1), LAPIC(1, 1), IOAPIC, LAPIC(2, 2), LAPIC(3, 0) };
    build_tables(0xF5A40, false, e, sizeof e);
    unsigned cpus;
    CHECK_EQ_U64(count(0x9FC0, &cpus), ACPI_CPUS_OK);
    CHECK_EQ_U64(cpus, 3);
}

static void xsdt_and_x2apic(void) {
    const uint8_t e[] = { X2APIC(0, 1), X2APIC(1, 1) };
    build_tables(0xE0010, true, e, sizeof e);
    unsigned cpus;
    CHECK_EQ_U64(count(0, &cpus), ACPI_CPUS_OK);
    CHECK_EQ_U64(cpus, 2);
}

static void rsdp_in_the_ebda(void) {
    const uint8_t e[] = { LAPIC(0, 1), LAPIC(1, 1) };
    build_tables(0x9FC20, false, e, sizeof e);
    unsigned cpus;
    CHECK_EQ_U64(count(0x9FC0, &cpus), ACPI_CPUS_OK);
    CHECK_EQ_U64(cpus, 2);
    CHECK_EQ_U64(count(0, &cpus), ACPI_CPUS_NO_RSDP); /* not searched without the EBDA pointer */
}

static void bad_rsdp_checksum_is_not_an_rsdp(void) {
    const uint8_t e[] = { LAPIC(0, 1) };
    build_tables(0xF5A40, false, e, sizeof e);
    memory[0xF5A40 + 8] ^= 1;
    unsigned cpus;
    CHECK_EQ_U64(count(0x9FC0, &cpus), ACPI_CPUS_NO_RSDP);
}

static void no_madt(void) {
    const uint8_t e[] = { LAPIC(0, 1) };
    build_tables(0xF5A40, false, e, sizeof e);
    memcpy(memory + 0x100200, "SSDT", 4);
    unsigned cpus;
    CHECK_EQ_U64(count(0x9FC0, &cpus), ACPI_CPUS_NO_MADT);
}

static void entry_running_past_the_table(void) {
    const uint8_t e[] = { LAPIC(0, 1), 0, 40, 0, 0 };
    build_tables(0xF5A40, false, e, sizeof e);
    unsigned cpus;
    CHECK_EQ_U64(count(0x9FC0, &cpus), ACPI_CPUS_BAD_TABLE);
}

int main(void) {
    memory = malloc(MEMORY_SIZE);
    TEST(one_cpu_in_the_bios_area);
    TEST(enabled_and_online_capable_count_disabled_do_not);
    TEST(xsdt_and_x2apic);
    TEST(rsdp_in_the_ebda);
    TEST(bad_rsdp_checksum_is_not_an_rsdp);
    TEST(no_madt);
    TEST(entry_running_past_the_table);
    free(memory);
    return tap_finish();
}
