/* Bus-master registers of the channel and the DMA data phase they drive. */
#include "ata/ata_device.h"

/* Offsets in the channel's 8-byte bus-master block. */
enum { BM_COMMAND = 0, BM_STATUS = 2, BM_PRD_TABLE = 4, BM_PRD_TABLE_END = 8 };

/* Moves the whole command once both sides are ready: the device has a DMA command and the
 * bus master is started in the matching direction. Drivers do these in either order (Linux
 * issues the command first). A direction mismatch moves nothing, as on hardware, where both
 * sides would wait for each other. */
static void dma_run(struct ata_channel *ch) {
    struct ata_transfer *t = &ch->transfer;
    struct ata_bus_master *bm = &ch->bus_master;
    bool to_memory = !t->write;
    if (t->phase != ATA_PHASE_DMA || !(bm->status & ATA_BM_STATUS_ACTIVE) ||
        ((bm->command & ATA_BM_COMMAND_TO_MEMORY) != 0) != to_memory)
        return;
    do {
        ata_transfer_take_chunk(t);
        if (to_memory && !ata_forward_chunk(ch))
            return;
        enum ata_prd_result moved =
            ata_prd_transfer(bm, &ch->memory, ch->buffer, t->chunk_bytes, to_memory);
        if (moved == ATA_PRD_EXHAUSTED) {
            /* Underrun: the bus master stops without an interrupt and the device keeps
             * waiting for data (active 0, interrupt 0: the driver times out and resets). */
            bm->status &= (uint8_t)~ATA_BM_STATUS_ACTIVE;
            t->phase = ATA_PHASE_DMA_STALLED;
            return;
        }
        if (moved == ATA_PRD_BUS_ERROR) {
            /* A refused address is a master abort: error bit, bus master stopped. The device
             * aborts the command and interrupts so the driver sees it without a timeout. */
            bm->status = (uint8_t)((bm->status | ATA_BM_STATUS_ERROR) & ~ATA_BM_STATUS_ACTIVE);
            ata_device_fail(ch, ATA_ERROR_ABRT);
            return;
        }
        if (!to_memory && !ata_forward_chunk(ch))
            return;
    } while (t->sectors_left > 0);
    /* A table longer than the command leaves the bus master active until the driver stops it
     * (active 1, interrupt 1); an exact one ends it (active 0, interrupt 1). */
    if (ata_prd_table_consumed(bm))
        bm->status &= (uint8_t)~ATA_BM_STATUS_ACTIVE;
    ata_device_complete(ch);
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
    if (offset == BM_COMMAND)
        return bm->command;
    if (offset == BM_STATUS)
        return bm->status;
    if (offset >= BM_PRD_TABLE && offset < BM_PRD_TABLE_END)
        return (uint8_t)(bm->prd_table >> (8 * (offset - BM_PRD_TABLE)));
    return 0;
}

void ata_bus_master_write(struct ata_channel *ch, unsigned offset, uint8_t value) {
    struct ata_bus_master *bm = &ch->bus_master;
    if (offset == BM_COMMAND) {
        write_command(ch, value);
    } else if (offset == BM_STATUS) {
        uint8_t kept = bm->status & (uint8_t)~(value & ATA_BM_STATUS_WRITE_1_CLEAR);
        bm->status = (uint8_t)((kept & ~ATA_BM_STATUS_WRITABLE) | (value & ATA_BM_STATUS_WRITABLE));
    } else if (offset >= BM_PRD_TABLE && offset < BM_PRD_TABLE_END) {
        unsigned shift = 8 * (offset - BM_PRD_TABLE);
        uint32_t table = (bm->prd_table & ~(0xFFu << shift)) | (uint32_t)value << shift;
        bm->prd_table = table & ATA_PRD_TABLE_ADDRESS_MASK;
    }
}
