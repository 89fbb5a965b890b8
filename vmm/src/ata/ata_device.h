/* SPDX-License-Identifier: MIT */
/* Internal to the channel's modules (ata_channel.c, ata_commands.c, ata_forward.c, ata_pio.c,
 * ata_bus_master.c): how a command reaches its end, the task-file encodings, and the hand-offs
 * between the command, PIO, DMA and backend parts. Private: it lives beside them, not in include/. */
#ifndef ATA_ATA_DEVICE_H
#define ATA_ATA_DEVICE_H

#include <stdbool.h>
#include <stdint.h>

#include "ata/ata_channel.h"

bool ata_device1_selected(const struct ata_channel *ch);

/* Interrupt: sets device 0's pending interrupt and recomputes the line. */
void ata_device_interrupt(struct ata_channel *ch);
void ata_device_update_irq(struct ata_channel *ch);

/* Ends the current command: ready (and optionally ERR with `error`), then interrupts. */
void ata_device_complete(struct ata_channel *ch);
void ata_device_fail(struct ata_channel *ch, uint8_t error);

/* Signature and diagnostic code in the task file, device 0 selected, ready. */
void ata_device_load_signature(struct ata_channel *ch);

/* The task file's address and count: 28 bits (device bits 3:0 on top) or 48 bits (HOB). */
uint64_t ata_task_file_lba(const struct ata_channel *ch, bool lba48);
uint32_t ata_task_file_count(const struct ata_channel *ch, bool lba48);
void ata_task_file_store(struct ata_channel *ch, bool lba48, uint32_t count, uint64_t lba);
/* Under the register split, Sector Count and LBA (and their HOB values) as the channel holds them
 * go to the real device, where the guest reads them; without it nothing happens. */
void ata_device_publish_task_file(struct ata_channel *ch);

/* Backend glue (ata_forward.c). DONE: the caller goes on. FAILED: the guest's command already
 * ended with ERR. PENDING: the device is BSY and `then` runs from ata_channel_backend_done(). */
void ata_transfer_take_chunk(struct ata_transfer *t);
enum ata_backend_outcome ata_forward_chunk(struct ata_channel *ch, enum ata_backend_wait then);
enum ata_backend_outcome ata_forward_non_data(struct ata_channel *ch, uint8_t opcode, bool lba48, bool sectors);

/* While the backend cannot reach the disk (ata_unreachable.c): the last IDENTIFY data it
 * returned is kept, and ata_answer_unreachable() answers the failed backend command from it
 * when the command only describes or configures the disk (true: the command goes on as if the
 * backend had answered). */
void ata_identity_remember(struct ata_channel *ch);
bool ata_answer_unreachable(struct ata_channel *ch);

/* PIO data phase (ata_pio.c); the *_done functions continue after a pending chunk. */
void ata_pio_in_ready(struct ata_channel *ch); /* the buffer holds a chunk: offer block 1 */
void ata_pio_read_start(struct ata_channel *ch);
void ata_pio_write_start(struct ata_channel *ch);
void ata_pio_write_done(struct ata_channel *ch);

/* Non-data and IDENTIFY completions (ata_commands.c). */
void ata_identify_done(struct ata_channel *ch);
void ata_non_data_done(struct ata_channel *ch);

/* DMA data phase (ata_bus_master.c) and the bus-master registers. */
void ata_dma_start(struct ata_channel *ch);
void ata_dma_read_done(struct ata_channel *ch);
void ata_dma_write_done(struct ata_channel *ch);
uint8_t ata_bus_master_read(const struct ata_channel *ch, unsigned offset);
void ata_bus_master_write(struct ata_channel *ch, unsigned offset, uint8_t value);

#endif
