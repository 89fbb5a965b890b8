/* SPDX-License-Identifier: MIT */
/* PIO data phase: the guest moves the chunk in the buffer through the data register, one DRQ
 * block (a sector, or the SET MULTIPLE size) at a time. Data-in interrupts before each block;
 * data-out interrupts after each block, and the first block needs no interrupt (ATA/ATAPI-6
 * PIO data-in and data-out protocols). */
#include "ata_device.h"

static size_t min_size(size_t a, size_t b) { return a < b ? a : b; }

static void offer_block(struct ata_channel *ch) {
    struct ata_transfer *t = &ch->transfer;
    t->block_end = min_size(t->cursor + t->block_bytes, t->chunk_bytes);
    ch->status = ATA_STATUS_READY | ATA_STATUS_DRQ;
}

void ata_pio_in_ready(struct ata_channel *ch) {
    ch->transfer.phase = ATA_PHASE_PIO_IN;
    ch->transfer.cursor = 0;
    offer_block(ch);
    ata_device_interrupt(ch);
}

void ata_pio_read_start(struct ata_channel *ch) {
    ata_transfer_take_chunk(&ch->transfer);
    if (ata_forward_chunk(ch, ATA_WAIT_PIO_READ) == ATA_BACKEND_DONE) ata_pio_in_ready(ch);
}

void ata_pio_write_start(struct ata_channel *ch) {
    struct ata_transfer *t = &ch->transfer;
    ata_transfer_take_chunk(t);
    t->phase = ATA_PHASE_PIO_OUT;
    t->cursor = 0;
    offer_block(ch);
}

/* After the last block of the command DRQ drops and, for data-in, no interrupt follows. */
static void read_block_done(struct ata_channel *ch) {
    struct ata_transfer *t = &ch->transfer;
    if (t->cursor < t->chunk_bytes) {
        offer_block(ch);
        ata_device_interrupt(ch);
    } else if (t->sectors_left == 0) {
        t->phase = ATA_PHASE_IDLE;
        ch->status = ATA_STATUS_READY;
    } else {
        ata_pio_read_start(ch);
    }
}

/* After a chunk went to the backend: the command is complete, or the next chunk begins. */
void ata_pio_write_done(struct ata_channel *ch) {
    struct ata_transfer *t = &ch->transfer;
    if (t->sectors_left == 0) {
        ata_device_complete(ch);
        return;
    }
    ata_transfer_take_chunk(t);
    t->cursor = 0;
    offer_block(ch);
    ata_device_interrupt(ch);
}

/* A full chunk (or the command's last block) goes to the backend before the next DRQ. */
static void write_block_done(struct ata_channel *ch) {
    struct ata_transfer *t = &ch->transfer;
    if (t->cursor < t->chunk_bytes) {
        offer_block(ch);
        ata_device_interrupt(ch);
    } else if (ata_forward_chunk(ch, ATA_WAIT_PIO_WRITE) == ATA_BACKEND_DONE) {
        ata_pio_write_done(ch);
    }
}

/* No data moves while the backend holds the buffer (BSY) or device 1 is selected. */
static bool data_phase(const struct ata_channel *ch, enum ata_phase phase) {
    return ch->transfer.phase == phase && !ata_backend_busy(ch) && !ata_device1_selected(ch);
}

size_t ata_channel_data_in(struct ata_channel *ch, uint8_t *dst, size_t bytes) {
    struct ata_transfer *t = &ch->transfer;
    size_t done = 0;
    while (done < bytes && data_phase(ch, ATA_PHASE_PIO_IN)) {
        size_t n = min_size(bytes - done, t->block_end - t->cursor);
        for (size_t i = 0; i < n; i++) dst[done + i] = ch->buffer[t->cursor + i];
        t->cursor += n;
        done += n;
        if (t->cursor == t->block_end) read_block_done(ch);
    }
    for (size_t i = done; i < bytes; i++) dst[i] = 0xFF;
    return done;
}

size_t ata_channel_data_out(struct ata_channel *ch, const uint8_t *src, size_t bytes) {
    struct ata_transfer *t = &ch->transfer;
    size_t done = 0;
    while (done < bytes && data_phase(ch, ATA_PHASE_PIO_OUT)) {
        size_t n = min_size(bytes - done, t->block_end - t->cursor);
        for (size_t i = 0; i < n; i++) ch->buffer[t->cursor + i] = src[done + i];
        t->cursor += n;
        done += n;
        if (t->cursor == t->block_end) write_block_done(ch);
    }
    return done;
}
