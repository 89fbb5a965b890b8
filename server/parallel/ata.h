/* SPDX-License-Identifier: MIT */
/* The ATA command set of aoe-parallel: the same commands and answers as our patched vblade
 * (server/patches/0001..0004, 0008), as a table from opcode to handler. Pure: no I/O, no
 * globals; the drive's state is the caller's struct. A command that needs the medium is split
 * in two: ata_begin() checks it and says which I/O to do, ata_complete() turns the I/O's result
 * into registers. That split is what lets the server run many commands' I/O at once. */
#ifndef PARALLEL_ATA_H
#define PARALLEL_ATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ATA_SERIAL_LEN 20

/* The drive: fixed properties, then the state the host can change (IDENTIFY reports it). */
typedef struct {
    uint64_t size;        /* exported sectors */
    unsigned max_sectors; /* sectors per AoE frame (from the MTU) */
    bool readonly;        /* -r: writes are aborted */
    bool syncflush;       /* -f: FLUSH CACHE reaches the medium */
    char serial[ATA_SERIAL_LEN + 1];
    uint8_t dmamode, piomode, wcache, lookahead, power, multiple, heads, spt;
} ata_drive;

/* One command's registers. The request fields are inputs; the rest are outputs. */
typedef struct {
    /* request */
    uint8_t cmd, feature, sectors;
    uint64_t lba;   /* 48 bits as received */
    bool wflag;     /* the AoE W flag: the initiator sends data */
    size_t payload; /* data bytes after the ATA header in the request frame */
    /* answer */
    uint8_t status, err;
    bool lbaout;     /* the answer carries lba */
    unsigned nout;   /* data bytes the answer returns */
    unsigned nbytes; /* medium bytes moved (accounting) */
    char dir;        /* 'r', 'w', 'f' or 0: what the accounting counts it as */
} ata_regs;

/* What ata_begin() asks of the caller. */
typedef enum {
    ATA_REFUSE = -1, /* AoE must refuse the request: Bad Argument */
    ATA_DONE = 0,    /* answered: registers (and data) are final */
    ATA_READ,        /* read io_sectors at io_lba into the frame's data, then ata_complete() */
    ATA_WRITE,       /* write io_sectors at io_lba from the frame's data, then ata_complete() */
    ATA_VERIFY,      /* read io_sectors at io_lba anywhere (discarded), then ata_complete() */
    ATA_FLUSH,       /* fdatasync the export, then ata_complete() */
} ata_action;

typedef struct {
    ata_action action;
    uint64_t lba; /* of the export, without any offset */
    unsigned sectors;
} ata_io;

/* Fills the drive's power-on state; size in sectors. */
void ata_drive_init(ata_drive *d, uint64_t size, unsigned max_sectors, bool readonly, bool syncflush,
                    const char *serial);

/* Starts one command. data: the request frame's data area (room bytes; IDENTIFY writes 512 there). */
ata_io ata_begin(ata_drive *d, ata_regs *r, uint8_t *data, size_t room);

/* Finishes a command ata_begin() gave an I/O: result is the I/O's byte count or -errno. */
void ata_complete(ata_drive *d, ata_regs *r, const ata_io *io, long result);

#endif
