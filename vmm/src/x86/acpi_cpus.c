/* SPDX-License-Identifier: MIT */
#include "x86/acpi_cpus.h"

#define RSDP_SIZE_V1 20
#define SDT_HEADER_SIZE 36
#define MADT_ENTRIES_OFFSET 44
#define MADT_LOCAL_APIC 0
#define MADT_LOCAL_X2APIC 9
#define CPU_ENABLED 0x1
#define CPU_ONLINE_CAPABLE 0x2

static uint32_t le32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static uint64_t le64(const uint8_t *p) { return le32(p) | (uint64_t)le32(p + 4) << 32; }

static bool bytes_sum_to_zero(const uint8_t *p, size_t n) {
    uint8_t sum = 0;
    for (size_t i = 0; i < n; i++) sum = (uint8_t)(sum + p[i]);
    return sum == 0;
}

static bool is_signature(const uint8_t *p, const char *sig, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (p[i] != (uint8_t)sig[i]) return false;
    return true;
}

/* The RSDP lies on a 16-byte boundary in the first KiB of the EBDA or in 0xE0000-0xFFFFF. */
static bool find_rsdp(phys_read_fn read, void *ctx, uint64_t start, uint64_t end, uint8_t rsdp[36]) {
    for (uint64_t pa = start; pa + RSDP_SIZE_V1 <= end; pa += 16) {
        if (!read(ctx, pa, rsdp, RSDP_SIZE_V1)) return false;
        if (is_signature(rsdp, "RSD PTR ", 8) && bytes_sum_to_zero(rsdp, RSDP_SIZE_V1)) {
            if (rsdp[15] >= 2 && !read(ctx, pa, rsdp, 36)) return false;
            return true;
        }
    }
    return false;
}

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
            if (le32(entry + 4) & (CPU_ENABLED | CPU_ONLINE_CAPABLE)) cpus++;
        } else if (type == MADT_LOCAL_X2APIC && entry_length >= 16) {
            if (!read(ctx, madt + off, entry, 16)) return ACPI_CPUS_BAD_TABLE;
            if (le32(entry + 8) & (CPU_ENABLED | CPU_ONLINE_CAPABLE)) cpus++;
        }
        off += entry_length;
    }
    *count = cpus;
    return ACPI_CPUS_OK;
}

enum acpi_cpus_result acpi_count_cpus(phys_read_fn read, void *ctx, uint16_t ebda_segment, unsigned *count) {
    uint8_t rsdp[36];
    uint64_t ebda = (uint64_t)ebda_segment << 4;
    bool found = (ebda >= 0x80000 && ebda < 0xA0000 && find_rsdp(read, ctx, ebda, ebda + 1024, rsdp)) ||
        find_rsdp(read, ctx, 0xE0000, 0x100000, rsdp);
    if (!found) return ACPI_CPUS_NO_RSDP;

    bool extended = rsdp[15] >= 2 && le64(rsdp + 24) != 0;
    uint64_t root = extended ? le64(rsdp + 24) : le32(rsdp + 16);
    unsigned pointer_size = extended ? 8 : 4;
    uint8_t header[SDT_HEADER_SIZE];
    if (!read(ctx, root, header, SDT_HEADER_SIZE)) return ACPI_CPUS_BAD_TABLE;
    uint32_t root_length = le32(header + 4);
    if (root_length < SDT_HEADER_SIZE) return ACPI_CPUS_BAD_TABLE;

    for (uint64_t off = SDT_HEADER_SIZE; off + pointer_size <= root_length; off += pointer_size) {
        uint8_t pointer[8] = { 0 };
        if (!read(ctx, root + off, pointer, pointer_size)) return ACPI_CPUS_BAD_TABLE;
        uint64_t table = pointer_size == 8 ? le64(pointer) : le32(pointer);
        if (!read(ctx, table, header, SDT_HEADER_SIZE)) return ACPI_CPUS_BAD_TABLE;
        if (is_signature(header, "APIC", 4)) return count_in_madt(read, ctx, table, le32(header + 4), count);
    }
    return ACPI_CPUS_NO_MADT;
}
