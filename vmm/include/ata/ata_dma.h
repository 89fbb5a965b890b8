/* SPDX-License-Identifier: MIT */
/* The channel's half of the PCI IDE bus master: command, status and PRD table address
 * registers, and the PRD walk that moves a DMA command's data between the channel's buffer and
 * guest memory. All guest memory is reached through a callback, so the hypervisor can refuse
 * addresses it must protect (there is no IOMMU behind an emulated bus master). */
#ifndef ATA_ATA_DMA_H
#define ATA_ATA_DMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* False: the range is not guest RAM. The bus master then reports an error, as a PCI master
 * abort would. */
struct ata_guest_memory {
    void *ctx;
    bool (*read)(void *ctx, uint64_t gpa, void *buf, size_t len);
    bool (*write)(void *ctx, uint64_t gpa, const void *buf, size_t len);
};

/* Where the walk stands in the guest's PRD table. */
struct ata_prd_cursor {
    uint32_t next_entry;     /* index of the next descriptor to fetch */
    uint32_t region_address; /* current region: next byte to move ... */
    uint32_t region_left;    /* ... and bytes still to move there */
    bool last_region;        /* the current region had the end-of-table bit */
};

struct ata_bus_master {
    uint8_t command;    /* ATA_BM_COMMAND_* as written */
    uint8_t status;     /* ATA_BM_STATUS_* */
    uint32_t prd_table; /* dword aligned */
    struct ata_prd_cursor cursor;
};

/* How a PRD walk step ended. */
enum ata_prd_result {
    ATA_PRD_MOVED,     /* all requested bytes moved */
    ATA_PRD_EXHAUSTED, /* the table ended first: the command wants more than it describes */
    ATA_PRD_BUS_ERROR, /* a descriptor or region was refused, or the table crossed 64 KiB */
};

/* Rewinds the walk to the first descriptor (the start bit's 0 -> 1 edge does this). */
void ata_prd_rewind(struct ata_bus_master *bm);

/* Moves `bytes` of `buffer` to guest memory (to_memory) or from it, continuing the walk. When
 * the table ends or fails first, the bytes before that point have moved. */
enum ata_prd_result ata_prd_transfer(struct ata_bus_master *bm, const struct ata_guest_memory *mem, uint8_t *buffer,
                                     size_t bytes, bool to_memory);

/* True when the walk used every byte the table describes: the bus master then goes idle by
 * itself at the end of a command; otherwise it stays active until the driver stops it. */
bool ata_prd_table_consumed(const struct ata_bus_master *bm);

#endif
