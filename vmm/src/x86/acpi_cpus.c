/* SPDX-License-Identifier: MIT */
#include "x86/acpi_cpus.h"

#define MADT_ENTRIES_OFFSET 44
#define MADT_LOCAL_APIC 0
#define MADT_LOCAL_X2APIC 9
#define CPU_ENABLED 0x1
#define CPU_ONLINE_CAPABLE 0x2

static enum acpi_cpus_result count_in_madt(phys_read_fn read, void *ctx, uint64_t madt, uint32_t length,
                                           unsigned *count) {
    uint8_t entry[16];
    unsigned cpus = 0;
    for (uint64_t off = MADT_ENTRIES_OFFSET; off + 2 <= length;) {
        if (!read(ctx, madt + off, entry, 2)) return ACPI_CPUS_BAD_TABLE;
        uint8_t type = entry[0], entry_length = entry[1];
        if (entry_length < 2 || off + entry_length > length) return ACPI_CPUS_BAD_TABLE;
        if (type == MADT_LOCAL_APIC && entry_length >= 8) {
            if (!read(ctx, madt + off, entry, 8)) return ACPI_CPUS_BAD_TABLE;
            if (acpi_le32(entry + 4) & (CPU_ENABLED | CPU_ONLINE_CAPABLE)) cpus++;
        } else if (type == MADT_LOCAL_X2APIC && entry_length >= 16) {
            if (!read(ctx, madt + off, entry, 16)) return ACPI_CPUS_BAD_TABLE;
            if (acpi_le32(entry + 8) & (CPU_ENABLED | CPU_ONLINE_CAPABLE)) cpus++;
        }
        off += entry_length;
    }
    *count = cpus;
    return ACPI_CPUS_OK;
}

enum acpi_cpus_result acpi_count_cpus(phys_read_fn read, void *ctx, uint16_t ebda_segment, unsigned *count) {
    uint64_t madt;
    uint32_t length;
    switch (acpi_find_table(read, ctx, ebda_segment, "APIC", &madt, &length)) {
    case ACPI_FOUND: return count_in_madt(read, ctx, madt, length, count);
    case ACPI_NO_RSDP: return ACPI_CPUS_NO_RSDP;
    case ACPI_NO_TABLE: return ACPI_CPUS_NO_MADT;
    default: return ACPI_CPUS_BAD_TABLE;
    }
}
