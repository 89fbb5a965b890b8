/* SPDX-License-Identifier: MIT */
/* The AoE target of aoe-parallel: which frames it answers and how, the same as our patched
 * vblade (aoe.c of server/patches/0007): shelf/slot and MAC-mask filters, Query Config, MAC mask
 * list, reserve/release, and ATA requests handed to ata.h. Pure: frames in, answers written in
 * place (the request's buffer becomes the answer, as in vblade); no sockets, no clocks. Frames
 * are decoded with the project's shared codec, common/aoe/aoe.h. */
#ifndef PARALLEL_TARGET_H
#define PARALLEL_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ata.h"

#define TARGET_MAX_MASKS 32
#define TARGET_MAX_RESERVE 256
#define TARGET_CONFIG_MAX 1024
/* A frame buffer must hold this much: answers can be longer than the request (a reserve list). */
#define TARGET_MIN_BUFFER (26 + 6 * TARGET_MAX_RESERVE)

typedef struct {
    uint16_t shelf;
    uint8_t slot;
    uint8_t mac[6];
    uint16_t bufcnt; /* advertised buffer count: the requests the server runs at once */
    uint16_t firmware;
    ata_drive drive;
    uint8_t config[TARGET_CONFIG_MAX];
    size_t nconfig;
    uint8_t masks[TARGET_MAX_MASKS][6];
    int nmasks;
    uint8_t reserve[TARGET_MAX_RESERVE][6];
    int nreserve;
} aoe_target;

typedef enum {
    TARGET_DROP,   /* not for us, or malformed so that vblade stays silent */
    TARGET_ANSWER, /* answer_len bytes of the buffer are the answer */
    TARGET_IO,     /* an ATA command waiting for its I/O: then target_finish_io() */
} target_verdict;

/* One received frame's fate. The ATA fields are set whenever is_ata. */
typedef struct {
    target_verdict verdict;
    size_t answer_len;
    bool is_ata;       /* an ATA request that got an answer or I/O (accounted) */
    uint8_t aoe_error; /* AoE error of an ATA answer, 0 if none */
    ata_regs regs;     /* registers (request and answer) */
    ata_io io;         /* with TARGET_IO: the I/O to do */
    /* the request as received, for the accounting */
    uint8_t req_cmd, req_sectors;
    uint64_t req_lba;
    uint32_t tag;
} target_result;

void target_init(aoe_target *t, uint16_t shelf, uint8_t slot, const uint8_t mac[6], uint16_t bufcnt);

/* Adds a MAC to the mask list (-m); returns false when the list is full. */
bool target_add_mask(aoe_target *t, const uint8_t mac[6]);

/* Handles one received frame of len bytes in buf (cap bytes of room, at least
 * TARGET_MIN_BUFFER). data_room: bytes the buffer holds from offset 36 (IDENTIFY, reads). */
target_result target_receive(aoe_target *t, uint8_t *buf, size_t len, size_t cap, size_t data_room);

/* Turns a TARGET_IO result into its answer once the I/O returned result (bytes or -errno). */
void target_finish_io(aoe_target *t, uint8_t *buf, target_result *r, long result);

/* The unsolicited Query Config answer sent at startup (to each mask MAC, or broadcast);
 * writes it for destination dst and returns its length. */
size_t target_advertisement(aoe_target *t, uint8_t *buf, const uint8_t dst[6]);

#endif
