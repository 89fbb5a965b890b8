/* SPDX-License-Identifier: MIT */
/* Sends the frames of one ATA command to a target with a window of outstanding frames,
 * retransmits on timeout, drops duplicate and stray responses, and times each frame. */
#ifndef EXCHANGE_H
#define EXCHANGE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "link.h"
#include "target.h"

typedef struct {
    const aoe_link *link;
    aoe_target target;
    unsigned sectors_per_frame;
    unsigned window;       /* frames in flight */
    uint64_t timeout_ns;   /* retransmit timeout (doubles on each retry of a frame) */
    unsigned retries;      /* retransmissions of one frame before giving up */
    uint16_t command_seq;  /* upper tag half; incremented per exchange */
    uint64_t retransmits;  /* total, all exchanges */
    uint64_t stray_frames; /* responses that matched no outstanding frame (late duplicates) */
} aoe_session;

typedef struct {
    uint64_t lba;
    uint8_t sector_count; /* the ATA Sector Count field */
    size_t data_off;      /* offset in the exchange's data buffer */
    size_t out_len;       /* bytes sent after the ATA argument */
    size_t in_len;        /* bytes of response data stored (at most) */
} frame_plan;

typedef struct {
    bool aoe_error;
    uint8_t aoe_code;
    uint8_t status;
    uint8_t error;
    uint8_t sector_count;
    uint64_t lba;
    size_t data_len;
    unsigned frame; /* which frame this reply belongs to */
} ata_reply;

typedef struct {
    uint8_t command;
    uint8_t aflags;
    uint8_t feature;
    const frame_plan *frames;
    unsigned nframes;
    uint8_t *data;
    ata_reply reply;  /* the failing frame's reply, or frame 0's on success */
    uint64_t *rtt_ns; /* optional, per frame; 0 for retransmitted frames (Karn) */
} ata_exchange;

enum {
    EXCHANGE_OK = 0,
    EXCHANGE_ATA_ERROR = 1,    /* AoE Error flag or ATA status ERR: see reply */
    EXCHANGE_SHORT_DATA = 2,   /* a response carried less data than the frame asked for */
    EXCHANGE_NO_RESPONSE = -1, /* a frame stayed unanswered after all retries */
    EXCHANGE_SOCKET_ERROR = -2,
};

/* A short name for an EXCHANGE_* result, for JSON output. */
const char *exchange_result_name(int result);

/* Runs the exchange; returns one of EXCHANGE_*. */
int exchange_run(aoe_session *s, ata_exchange *x);

/* Plans a read or write of sectors starting at lba in frames of s->sectors_per_frame.
 * plan must hold exchange_frame_count() entries. */
unsigned exchange_frame_count(const aoe_session *s, uint32_t sectors);
void exchange_plan_io(const aoe_session *s, uint64_t lba, uint32_t sectors, bool write, frame_plan *plan);

#endif
