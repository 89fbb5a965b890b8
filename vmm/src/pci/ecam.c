/* SPDX-License-Identifier: MIT */
#include "pci/ecam.h"

#define MCFG_ENTRIES_OFFSET 44 /* header, then 8 reserved bytes */
#define MCFG_ENTRY_BYTES 16    /* base (8), segment (2), first bus, last bus, reserved (4) */

bool ecam_function_address(phys_read_fn read, void *ctx, uint16_t ebda_segment, struct pci_address a,
                           uint64_t *address) {
    uint64_t mcfg;
    uint32_t length;
    if (acpi_find_table(read, ctx, ebda_segment, "MCFG", &mcfg, &length) != ACPI_FOUND) return false;
    for (uint64_t off = MCFG_ENTRIES_OFFSET; off + MCFG_ENTRY_BYTES <= length; off += MCFG_ENTRY_BYTES) {
        uint8_t entry[MCFG_ENTRY_BYTES];
        if (!read(ctx, mcfg + off, entry, sizeof entry)) return false;
        uint16_t segment = (uint16_t)(entry[8] | entry[9] << 8);
        if (segment != 0 || a.bus < entry[10] || a.bus > entry[11]) continue;
        /* The base is that of bus 0, even when the window starts at a later bus. */
        *address = acpi_le64(entry) +
            ((uint64_t)a.bus << 20 | (uint64_t)(a.device & 31) << 15 | (uint64_t)(a.function & 7) << 12);
        return true;
    }
    return false;
}
