/* SPDX-License-Identifier: MIT */
/* Finds an ACPI table by its signature: the RSDP (in the EBDA's first KiB or 0xE0000-0xFFFFF),
 * then the XSDT (or the RSDT without one). Pure: physical memory is read through a callback, so
 * it is tested on the host with synthetic tables (acpi_cpus_test, acpi_mcfg_test). */
#ifndef X86_ACPI_TABLES_H
#define X86_ACPI_TABLES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef bool (*phys_read_fn)(void *ctx, uint64_t pa, void *buf, size_t len);

#define ACPI_SDT_HEADER_SIZE 36

enum acpi_find_result {
    ACPI_FOUND,
    ACPI_NO_RSDP,  /* no ACPI: a legacy PC */
    ACPI_NO_TABLE, /* ACPI, but no table with that signature */
    ACPI_BAD_TABLE /* the root table's length is wrong, or memory cannot be read */
};

/* `ebda_segment` is the word at 0x40E of the BIOS data area; `signature` has 4 characters.
 * On ACPI_FOUND, *table is the table's physical address and *length its length (header included). */
enum acpi_find_result acpi_find_table(phys_read_fn read, void *ctx, uint16_t ebda_segment, const char *signature,
                                      uint64_t *table, uint32_t *length);

static inline uint32_t acpi_le32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static inline uint64_t acpi_le64(const uint8_t *p) { return acpi_le32(p) | (uint64_t)acpi_le32(p + 4) << 32; }

#endif
