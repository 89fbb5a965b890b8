/* SPDX-License-Identifier: MIT */
/* PRD table walk of the bus master. */
#include "ata/ata_dma.h"
#include "ata/ata_regs.h"

void ata_prd_rewind(struct ata_bus_master *bm) { bm->cursor = (struct ata_prd_cursor){ 0 }; }

static uint32_t load_le32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The bus master only increments the low 16 bits of its descriptor pointer, so a table that
 * runs past a 64 KiB boundary is an error here rather than a silent wrap. */
static bool fetch_descriptor(struct ata_bus_master *bm, const struct ata_guest_memory *mem) {
    struct ata_prd_cursor *c = &bm->cursor;
    uint64_t at = (uint64_t)bm->prd_table + (uint64_t)c->next_entry * ATA_PRD_BYTES;
    if ((at + ATA_PRD_BYTES - 1) / ATA_PRD_TABLE_WINDOW != bm->prd_table / ATA_PRD_TABLE_WINDOW) return false;
    uint8_t raw[ATA_PRD_BYTES];
    if (!mem->read(mem->ctx, at, raw, sizeof(raw))) return false;
    uint32_t address = load_le32(raw), flags = load_le32(raw + 4);
    uint32_t count = flags & ATA_PRD_COUNT_MASK;
    c->region_address = address & ATA_PRD_ADDRESS_MASK;
    c->region_left = count ? count : ATA_PRD_COUNT_ZERO_BYTES;
    c->last_region = flags & ATA_PRD_END_OF_TABLE;
    c->next_entry++;
    return true;
}

enum ata_prd_result ata_prd_transfer(struct ata_bus_master *bm, const struct ata_guest_memory *mem, uint8_t *buffer,
                                     size_t bytes, bool to_memory) {
    struct ata_prd_cursor *c = &bm->cursor;
    size_t done = 0;
    while (done < bytes) {
        if (c->region_left == 0) {
            if (c->last_region) return ATA_PRD_EXHAUSTED;
            if (!fetch_descriptor(bm, mem)) return ATA_PRD_BUS_ERROR;
            continue;
        }
        size_t n = bytes - done < c->region_left ? bytes - done : c->region_left;
        bool ok = to_memory ? mem->write(mem->ctx, c->region_address, buffer + done, n)
                            : mem->read(mem->ctx, c->region_address, buffer + done, n);
        if (!ok) return ATA_PRD_BUS_ERROR;
        c->region_address += (uint32_t)n;
        c->region_left -= (uint32_t)n;
        done += n;
    }
    return ATA_PRD_MOVED;
}

bool ata_prd_table_consumed(const struct ata_bus_master *bm) {
    return bm->cursor.last_region && bm->cursor.region_left == 0;
}
