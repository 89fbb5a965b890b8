/* SPDX-License-Identifier: MIT */
/* An emulated IDE channel (one channel of a PIIX3/4) whose device 0 is an ATA disk served by
 * a backend and whose device 1 is absent. Pure: no port numbers, no hardware access. The
 * hypervisor maps its I/O exits onto ata_channel_read/write and the data transfers, guest
 * memory onto struct ata_guest_memory and the interrupt line onto struct ata_irq.
 *
 * The paper's three entry points: a command written (ata_channel_write), the server's answer
 * (inside the backend's execute(), or later through ata_channel_backend_done()), and the
 * guest fetching data (data port, bus-master start). While a backend command is pending the
 * device is BSY, as a disk seeking. Not reentrant: calls must be serialized, and callbacks
 * must not call back into the channel (a backend must not call ata_channel_backend_done()
 * from inside execute(): it returns DONE instead). The line may rise inside any write (the
 * command, the bus master's start bit, the last word of a PIO block, nIEN cleared) and inside
 * ata_channel_backend_done(). */
#ifndef ATA_ATA_CHANNEL_H
#define ATA_ATA_CHANNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ata/ata_backend.h"
#include "ata/ata_dma.h"
#include "ata/ata_regs.h"

/* Registers by their offset in the command block (0-7), the control block (8) and the
 * bus-master block (16 + offset 0-7). Accesses wider than a byte at a bus-master offset cover
 * the following offsets too (a 32-bit access at ATA_PORT_BM_PRD_TABLE sets the whole address);
 * in the command and control blocks only the data register is wider than a byte. */
enum ata_port {
    ATA_PORT_DATA = 0,
    ATA_PORT_ERROR_FEATURES = 1,
    ATA_PORT_COUNT = 2,
    ATA_PORT_LBA_LOW = 3,
    ATA_PORT_LBA_MID = 4,
    ATA_PORT_LBA_HIGH = 5,
    ATA_PORT_DEVICE = 6,
    ATA_PORT_STATUS_COMMAND = 7,
    ATA_PORT_ALT_STATUS_DEVICE_CONTROL = 8,
    ATA_PORT_BM_COMMAND = 16,
    ATA_PORT_BM_STATUS = 18,
    ATA_PORT_BM_PRD_TABLE = 20,
    ATA_PORT_BM_END = 24,
};

/* The INTRQ line (IRQ 14 for the primary channel) as a level: called only when it changes.
 * It is asserted while device 0 has an interrupt pending, is selected and nIEN is clear. */
struct ata_irq {
    void *ctx;
    void (*set_level)(void *ctx, bool asserted);
};

/* The paper's register split (optional): the guest's reads and writes of Sector Count and LBA
 * Low/Mid/High go to a real device behind the captured ports instead of the channel. The channel
 * loads them (with their previous values, the LBA48 high bytes) when a command is written, stores
 * back what the device itself changes (a command's result, the reset signature), and passes on
 * Device Control's HOB bit, so the guest's reads there see what a disk would show. Arrays are
 * indexed like the channel's task file: entries ATA_PORT_COUNT..ATA_PORT_LBA_HIGH. */
struct ata_register_device {
    void *ctx;
    void (*load)(void *ctx, uint8_t written[ATA_PORT_LBA_HIGH + 1], uint8_t hob[ATA_PORT_LBA_HIGH + 1]);
    void (*store)(void *ctx, const uint8_t written[ATA_PORT_LBA_HIGH + 1], const uint8_t hob[ATA_PORT_LBA_HIGH + 1]);
    void (*select_hob)(void *ctx, bool hob);
};

/* Bound of one backend call and of the channel's buffer: 2048 sectors (1 MiB). A guest's 1 MiB
 * access (the paper's Fig. 8 unit; Linux issues up to 1280 KiB) then goes out as one AoE command
 * whose requests all stream through the window, instead of pieces that each wait for their last
 * answer. It is a multiple of 256 (the largest LBA28 command), so every READ/WRITE MULTIPLE block
 * size divides it. */
#define ATA_CHANNEL_CHUNK_SECTORS 2048u
#define ATA_CHANNEL_BUFFER_BYTES (ATA_CHANNEL_CHUNK_SECTORS * ATA_SECTOR_BYTES)

enum ata_phase {
    ATA_PHASE_IDLE,
    ATA_PHASE_PIO_IN,      /* DRQ: the guest reads the current block from the data register */
    ATA_PHASE_PIO_OUT,     /* DRQ: the guest writes the current block */
    ATA_PHASE_DMA,         /* DRQ: waiting for the bus master to be started */
    ATA_PHASE_DMA_STALLED, /* DRQ: the PRD table ended first; only a reset or a new command
                            * gets the device out, as with a real disk */
};

/* The data command in progress. Data moves in chunks of up to ATA_CHANNEL_CHUNK_SECTORS
 * through the buffer; PIO hands each chunk out in DRQ blocks. */
struct ata_transfer {
    enum ata_phase phase;
    uint8_t backend_opcode; /* READ/WRITE SECTORS (EXT) or IDENTIFY DEVICE */
    bool lba48;
    bool write;            /* to the medium */
    uint64_t next_lba;     /* first sector not yet in a chunk */
    uint32_t sectors_left; /* sectors not yet in a chunk */
    uint64_t chunk_lba;    /* the chunk in the buffer */
    size_t chunk_bytes;
    size_t cursor;      /* PIO: next buffer byte the guest reads or writes */
    size_t block_end;   /* PIO: where the current DRQ block ends */
    size_t block_bytes; /* PIO: sectors per DRQ block * 512 */
};

/* What to do when the pending backend command is done. */
enum ata_backend_wait {
    ATA_WAIT_NONE,      /* no backend command outstanding */
    ATA_WAIT_PIO_READ,  /* then offer the chunk's first DRQ block */
    ATA_WAIT_PIO_WRITE, /* then the next DRQ block, or completion */
    ATA_WAIT_DMA_READ,  /* then move the chunk to guest memory, continue the DMA */
    ATA_WAIT_DMA_WRITE, /* then continue the DMA */
    ATA_WAIT_IDENTIFY,  /* then patch and offer the IDENTIFY data */
    ATA_WAIT_NON_DATA,  /* then the answer into the task file, completion */
    ATA_WAIT_DISCARD,   /* a software reset abandoned the command: drop the answer */
};

struct ata_channel {
    struct ata_backend backend;
    struct ata_guest_memory memory;
    struct ata_irq irq;

    /* Task file. Both devices latch every write, so device 0's copy is the only one: with
     * device 1 absent, device 0 answers reads in its place (ATA/ATAPI-6). `hob` holds the
     * previous value of each register (the high bytes of an LBA48 command). Indexed by
     * enum ata_port; 1 is the features register. */
    uint8_t written[ATA_PORT_LBA_HIGH + 1];
    uint8_t hob[ATA_PORT_LBA_HIGH + 1];
    uint8_t device;
    uint8_t device_control;
    uint8_t status;
    uint8_t error;

    bool irq_pending;         /* device 0's interrupt, cleared by a status read or command */
    bool irq_asserted;        /* the line as last reported */
    uint8_t multiple_sectors; /* SET MULTIPLE; 0 = READ/WRITE MULTIPLE disabled */

    /* Set by ata_channel_split_registers; all NULL while the channel holds the whole task file. */
    struct ata_register_device register_device;

    struct ata_transfer transfer;
    struct ata_bus_master bus_master;

    /* The backend command in progress, kept here so a pending one stays valid. */
    uint8_t backend_wait; /* enum ata_backend_wait */
    struct ata_backend_command backend_command;
    struct ata_backend_result backend_result;

    /* The disk's last IDENTIFY data from the backend, for answering while the backend cannot
     * reach it (IDENTIFY, SET FEATURES transfer mode), and how many commands were so answered. */
    bool identity_known;
    uint8_t identity[ATA_SECTOR_BYTES];
    uint32_t unreachable_answers;

    uint8_t buffer[ATA_CHANNEL_BUFFER_BYTES];
};

/* Power-on state: signature in the task file, ready, no interrupt, bus master idle. */
void ata_channel_init(struct ata_channel *ch, struct ata_backend backend, struct ata_guest_memory memory,
                      struct ata_irq irq);

/* Hands Sector Count and LBA to `device` from now on (see struct ata_register_device), storing
 * the channel's current values there first. */
void ata_channel_split_registers(struct ata_channel *ch, struct ata_register_device device);

/* One IN/OUT of 1, 2 or 4 bytes. Unused bits of a read are 0; an access to the data register
 * moves `size` bytes of the PIO transfer. */
uint32_t ata_channel_read(struct ata_channel *ch, enum ata_port port, unsigned size);
void ata_channel_write(struct ata_channel *ch, enum ata_port port, uint32_t value, unsigned size);

/* Whether a backend command is PENDING (the owner polls the backend until it is done). */
bool ata_backend_busy(const struct ata_channel *ch);

/* The backend finished the command it left PENDING; transport_ok false = FAILED. */
void ata_channel_backend_done(struct ata_channel *ch, bool transport_ok);

/* A whole REP INS/OUTS on the data register. Returns the bytes that belonged to the PIO
 * transfer; the rest of `dst` is filled with 0xFF (nothing drives the bus) and the rest of
 * `src` is dropped. */
size_t ata_channel_data_in(struct ata_channel *ch, uint8_t *dst, size_t bytes);
size_t ata_channel_data_out(struct ata_channel *ch, const uint8_t *src, size_t bytes);

#endif
