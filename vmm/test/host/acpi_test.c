/* SPDX-License-Identifier: MIT */
/* Synthetic ACPI tables: RSDP search (EBDA and BIOS area), RSDT and XSDT; counting CPUs in the
 * MADT (local APIC and x2APIC entries, enabled / online-capable / disabled processors, broken
 * tables); the ECAM window in the MCFG. */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "pci/ecam.h"
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

/* Lays out RSDP -> RSDT (or XSDT) -> [FACP-like dummy, table `sig` with `entries` at offset 44]. */
static void build_tables_with(const char *sig, uint64_t rsdp_at, bool xsdt, const uint8_t *entries,
                              size_t entries_len) {
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
    sdt_header(madt, sig, (uint32_t)(44 + entries_len));
    memcpy(memory + madt + 44, entries, entries_len);
}

static void build_tables(uint64_t rsdp_at, bool xsdt, const uint8_t *entries, size_t entries_len) {
    build_tables_with("APIC", rsdp_at, xsdt, entries, entries_len);
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

/* MCFG entry: base address, segment, first and last bus. */
#define MCFG_ENTRY(base, segment, first, last)                                                                         \
    (base) & 0xFF, (base) >> 8 & 0xFF, (base) >> 16 & 0xFF, (base) >> 24 & 0xFF, 0, 0, 0, 0, (segment), 0, (first),    \
        (last), 0, 0, 0, 0

static void ecam_address_of_a_function(void) {
    /* QEMU q35: one window at B0000000h for buses 0-255 of segment 0. */
    const uint8_t e[] = { MCFG_ENTRY(0xB0000000u, 0, 0, 255) };
    build_tables_with("MCFG", 0xF5A40, false, e, sizeof e);
    uint64_t address = 0;
    CHECK(ecam_function_address(read_memory, 0, 0x9FC0, (struct pci_address){ 0, 3, 0 }, &address));
    CHECK_EQ_U64(address, 0xB0018000u);
    CHECK(ecam_function_address(read_memory, 0, 0x9FC0, (struct pci_address){ 2, 31, 7 }, &address));
    CHECK_EQ_U64(address, 0xB0000000u + (2u << 20) + (31u << 15) + (7u << 12));
}

static void ecam_window_must_cover_the_bus_and_segment(void) {
    const uint8_t e[] = { MCFG_ENTRY(0xE0000000u, 1, 0, 255), MCFG_ENTRY(0xC0000000u, 0, 4, 7) };
    build_tables_with("MCFG", 0xF5A40, true, e, sizeof e);
    uint64_t address = 0;
    CHECK(!ecam_function_address(read_memory, 0, 0x9FC0, (struct pci_address){ 0, 3, 0 }, &address));
    CHECK(ecam_function_address(read_memory, 0, 0x9FC0, (struct pci_address){ 5, 0, 0 }, &address));
    CHECK_EQ_U64(address, 0xC0000000u + (5u << 20)); /* the base is bus 0's */
}

static void no_mcfg_no_ecam(void) {
    const uint8_t e[] = { LAPIC(0, 1) };
    build_tables(0xF5A40, false, e, sizeof e); /* QEMU pc: a MADT, no MCFG */
    uint64_t address = 0;
    CHECK(!ecam_function_address(read_memory, 0, 0x9FC0, (struct pci_address){ 0, 3, 0 }, &address));
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
    TEST(ecam_address_of_a_function);
    TEST(ecam_window_must_cover_the_bus_and_segment);
    TEST(no_mcfg_no_ecam);
    free(memory);
    return tap_finish();
}
