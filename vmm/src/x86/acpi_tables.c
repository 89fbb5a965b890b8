/* SPDX-License-Identifier: MIT */
#include "x86/acpi_tables.h"

#define RSDP_SIZE_V1 20

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

enum acpi_find_result acpi_find_table(phys_read_fn read, void *ctx, uint16_t ebda_segment, const char *signature,
                                      uint64_t *table, uint32_t *length) {
    uint8_t rsdp[36];
    uint64_t ebda = (uint64_t)ebda_segment << 4;
    bool found = (ebda >= 0x80000 && ebda < 0xA0000 && find_rsdp(read, ctx, ebda, ebda + 1024, rsdp)) ||
        find_rsdp(read, ctx, 0xE0000, 0x100000, rsdp);
    if (!found) return ACPI_NO_RSDP;

    bool extended = rsdp[15] >= 2 && acpi_le64(rsdp + 24) != 0;
    uint64_t root = extended ? acpi_le64(rsdp + 24) : acpi_le32(rsdp + 16);
    unsigned pointer_size = extended ? 8 : 4;
    uint8_t header[ACPI_SDT_HEADER_SIZE];
    if (!read(ctx, root, header, ACPI_SDT_HEADER_SIZE)) return ACPI_BAD_TABLE;
    uint32_t root_length = acpi_le32(header + 4);
    if (root_length < ACPI_SDT_HEADER_SIZE) return ACPI_BAD_TABLE;

    for (uint64_t off = ACPI_SDT_HEADER_SIZE; off + pointer_size <= root_length; off += pointer_size) {
        uint8_t pointer[8] = { 0 };
        if (!read(ctx, root + off, pointer, pointer_size)) return ACPI_BAD_TABLE;
        uint64_t at = pointer_size == 8 ? acpi_le64(pointer) : acpi_le32(pointer);
        if (!read(ctx, at, header, ACPI_SDT_HEADER_SIZE)) return ACPI_BAD_TABLE;
        if (is_signature(header, signature, 4)) {
            *table = at;
            *length = acpi_le32(header + 4);
            return ACPI_FOUND;
        }
    }
    return ACPI_NO_TABLE;
}
