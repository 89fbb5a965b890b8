/* SPDX-License-Identifier: MIT */
/* The narrow storage hook of the emulated ATA device: every command that touches the medium
 * or the device's identity goes through it, and all sector data passes here. The AoE client
 * implements it (fragmenting one command into frames); host tests use an in-memory disk. */
#ifndef ATA_ATA_BACKEND_H
#define ATA_ATA_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One ATA command, decoded from the task file.
 * - Data commands of every flavour the guest may use (PIO, MULTIPLE, DMA) arrive as READ or
 *   WRITE SECTORS (0x20/0x30, EXT 0x24/0x34 when lba48), the commands AoE targets implement:
 *   "move `count` sectors at `lba`". Long commands arrive as several calls of at most
 *   ATA_CHANNEL_CHUNK_SECTORS sectors, `lba`/`count` describing that piece. `count` is the
 *   real number (never 0-means-256) and `lba` is authoritative (not `device` bits 3:0).
 * - IDENTIFY DEVICE: count 1, the 512-byte answer goes to `buffer`.
 * - Non-data commands (SET FEATURES, FLUSH CACHE, READ VERIFY, READ NATIVE MAX): buffer NULL,
 *   features/count/lba as the guest wrote them. */
struct ata_backend_command {
    uint8_t opcode;
    uint8_t features;
    uint8_t device; /* device register as written (LBA bit, LBA28 bits 27:24) */
    bool lba48;
    bool write;     /* buffer holds data for the medium */
    uint32_t count; /* sectors */
    uint64_t lba;
    void *buffer; /* count * 512 bytes, or NULL */
    size_t buffer_bytes;
};

/* What the device reports. The channel pre-fills count/lba with the command's values, so a
 * backend with nothing to say leaves them. On success the channel shows DRDY|DSC, whatever
 * `status` says; with ERR or DF set it shows them with `error` (ABRT if the backend left it
 * 0), and count/lba become the task file the guest reads (e.g. the first failing LBA, or READ
 * NATIVE MAX's answer on success). */
struct ata_backend_result {
    uint8_t status;
    uint8_t error;
    uint32_t count;
    uint64_t lba;
};

/* How execute() left the command. FAILED means the transport gave up (the AoE target answered
 * with an AoE error, or left the command unanswered past aoe_deadline); the guest then sees the
 * command aborted (ERR, ABRT), as from a disk that refused it, and may retry. */
enum ata_backend_outcome {
    ATA_BACKEND_DONE, /* finished inside the call: result (and read data) are in place */
    ATA_BACKEND_FAILED,
    ATA_BACKEND_PENDING, /* still running: the device shows BSY until the backend calls
                            * ata_channel_backend_done(); cmd, result and the buffer stay
                            * valid and untouched by the channel until then */
};

/* A backend may finish every command inside execute() (the simple, blocking way) or return
 * PENDING and finish later, so the guest runs while frames are on the wire. One command at a
 * time: the channel never calls execute() again before the previous one is done. */
struct ata_backend {
    void *ctx;
    enum ata_backend_outcome (*execute)(void *ctx, const struct ata_backend_command *cmd,
                                        struct ata_backend_result *result);
    /* Required when execute() may return PENDING: moves the pending command on (never blocks) and
     * says how it stands; DONE or FAILED hands result and read data over as execute() would. The
     * hypervisor calls it from its exits while the guest runs; the channel's owner then calls
     * ata_channel_backend_done(). */
    enum ata_backend_outcome (*poll)(void *ctx);
    /* Optional (NULL: never): the disk is known to be out of reach (the AoE target is past its
     * deadline), so the channel answers what it can itself without waiting for execute() to
     * fail (src/ata/ata_unreachable.c). */
    bool (*unreachable)(void *ctx);
};

#endif
