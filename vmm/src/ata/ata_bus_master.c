/* SPDX-License-Identifier: MIT */
/* Bus-master registers of the channel and the DMA data phase they drive. */
#include "ata_device.h"

/* Offsets in the channel's 8-byte bus-master block. */
enum { BM_COMMAND = 0, BM_STATUS = 2, BM_PRD_TABLE = 4, BM_PRD_TABLE_END = 8 };

/* Moves the chunk in the buffer to or from guest memory. False when the DMA cannot go on:
 * the table ended or the bus master was stopped (the device then waits), or a bus error. */
static bool dma_move(struct ata_channel *ch) {
    struct ata_transfer *t = &ch->transfer;
    struct ata_bus_master *bm = &ch->bus_master;
    enum ata_prd_result moved = ATA_PRD_EXHAUSTED;
    if (bm->status & ATA_BM_STATUS_ACTIVE)
        moved = ata_prd_transfer(bm, &ch->memory, ch->buffer, t->chunk_bytes, !t->write);
    if (moved == ATA_PRD_EXHAUSTED) {
        /* Underrun, or stopped while the backend worked: the bus master stops without an
         * interrupt and the device keeps waiting for data (active 0, interrupt 0: the
         * driver times out and resets). */
        bm->status &= (uint8_t)~ATA_BM_STATUS_ACTIVE;
        t->phase = ATA_PHASE_DMA_STALLED;
        ch->status = ATA_STATUS_READY | ATA_STATUS_DRQ;
        return false;
    }
    if (moved == ATA_PRD_BUS_ERROR) {
        /* A refused address is a master abort: error bit, bus master stopped. The device
         * aborts the command and interrupts so the driver sees it without a timeout. */
        bm->status = (uint8_t)((bm->status | ATA_BM_STATUS_ERROR) & ~ATA_BM_STATUS_ACTIVE);
        ata_device_fail(ch, ATA_ERROR_ABRT);
        return false;
    }
    return true;
}

/* Chunk after chunk until the command is done, the DMA cannot go on, or the backend is
 * pending (then ata_dma_*_done continues). A table longer than the command leaves the bus
 * master active until the driver stops it (active 1, interrupt 1); an exact one ends it
 * (active 0, interrupt 1). */
static void dma_continue(struct ata_channel *ch) {
    struct ata_transfer *t = &ch->transfer;
    while (t->sectors_left > 0) {
        ata_transfer_take_chunk(t);
        if (!t->write) {
            if (ata_forward_chunk(ch, ATA_WAIT_DMA_READ) != ATA_BACKEND_DONE || !dma_move(ch)) return;
        } else {
            if (!dma_move(ch) || ata_forward_chunk(ch, ATA_WAIT_DMA_WRITE) != ATA_BACKEND_DONE) return;
        }
    }
    if (ata_prd_table_consumed(&ch->bus_master)) ch->bus_master.status &= (uint8_t)~ATA_BM_STATUS_ACTIVE;
    ata_device_complete(ch);
}

void ata_dma_read_done(struct ata_channel *ch) {
    if (dma_move(ch)) dma_continue(ch);
}

void ata_dma_write_done(struct ata_channel *ch) { dma_continue(ch); }

/* Starts the transfer once both sides are ready: the device has a DMA command and the bus
 * master is started in the matching direction. Drivers do these in either order (Linux
 * issues the command first). A direction mismatch moves nothing, as on hardware, where both
 * sides would wait for each other. */
static void dma_run(struct ata_channel *ch) {
    const struct ata_transfer *t = &ch->transfer;
    const struct ata_bus_master *bm = &ch->bus_master;
    bool to_memory = !t->write;
    bool bus_master_ready =
        (bm->status & ATA_BM_STATUS_ACTIVE) && ((bm->command & ATA_BM_COMMAND_TO_MEMORY) != 0) == to_memory;
    if (t->phase != ATA_PHASE_DMA || ata_backend_busy(ch) || !bus_master_ready) return;
    dma_continue(ch);
}

void ata_dma_start(struct ata_channel *ch) {
    ch->transfer.phase = ATA_PHASE_DMA;
    ch->status = ATA_STATUS_READY | ATA_STATUS_DRQ;
    dma_run(ch);
}

static void write_command(struct ata_channel *ch, uint8_t value) {
    struct ata_bus_master *bm = &ch->bus_master;
    bool was_started = bm->command & ATA_BM_COMMAND_START;
    bm->command = value & ATA_BM_COMMAND_MASK;
    if (!(value & ATA_BM_COMMAND_START)) {
        bm->status &= (uint8_t)~ATA_BM_STATUS_ACTIVE;
    } else if (!was_started) {
        bm->status |= ATA_BM_STATUS_ACTIVE;
        ata_prd_rewind(bm);
        dma_run(ch);
    }
}

uint8_t ata_bus_master_read(const struct ata_channel *ch, unsigned offset) {
    const struct ata_bus_master *bm = &ch->bus_master;
    if (offset == BM_COMMAND) return bm->command;
    if (offset == BM_STATUS) return bm->status;
    if (offset >= BM_PRD_TABLE && offset < BM_PRD_TABLE_END)
        return (uint8_t)(bm->prd_table >> (8 * (offset - BM_PRD_TABLE)));
    return 0;
}

void ata_bus_master_write(struct ata_channel *ch, unsigned offset, uint8_t value) {
    struct ata_bus_master *bm = &ch->bus_master;
    if (offset == BM_COMMAND) {
        write_command(ch, value);
    } else if (offset == BM_STATUS) {
        uint8_t kept = bm->status & (uint8_t) ~(value & ATA_BM_STATUS_WRITE_1_CLEAR);
        bm->status = (uint8_t)((kept & ~ATA_BM_STATUS_WRITABLE) | (value & ATA_BM_STATUS_WRITABLE));
    } else if (offset >= BM_PRD_TABLE && offset < BM_PRD_TABLE_END) {
        unsigned shift = 8 * (offset - BM_PRD_TABLE);
        uint32_t table = (bm->prd_table & ~(0xFFu << shift)) | (uint32_t)value << shift;
        bm->prd_table = table & ATA_PRD_TABLE_ADDRESS_MASK;
    }
}
