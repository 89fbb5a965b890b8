/* SPDX-License-Identifier: MIT */
#include "exchange.h"

#include <stdlib.h>
#include <string.h>

#include "aoe.h"

enum frame_state { FRAME_UNSENT, FRAME_IN_FLIGHT, FRAME_DONE };

typedef struct {
    enum frame_state state;
    unsigned tries;
    uint64_t sent_ns;
} frame_track;

#define ATA_STATUS_ERR 0x01u

unsigned exchange_frame_count(const aoe_session *s, uint32_t sectors) {
    return (sectors + s->sectors_per_frame - 1) / s->sectors_per_frame;
}

void exchange_plan_io(const aoe_session *s, uint64_t lba, uint32_t sectors, bool write, frame_plan *plan) {
    unsigned n = exchange_frame_count(s, sectors);
    for (unsigned i = 0; i < n; i++) {
        uint32_t first = i * s->sectors_per_frame;
        uint32_t count = sectors - first < s->sectors_per_frame ? sectors - first : s->sectors_per_frame;
        plan[i] = (frame_plan){
            .lba = lba + first,
            .sector_count = (uint8_t)count,
            .data_off = (size_t)first * AOE_SECTOR,
            .out_len = write ? (size_t)count * AOE_SECTOR : 0,
            .in_len = write ? 0 : (size_t)count * AOE_SECTOR,
        };
    }
}

static int send_frame(aoe_session *s, const ata_exchange *x, unsigned i, frame_track *t) {
    uint8_t frame[AOE_ATA_HDR_LEN + 9216];
    const frame_plan *p = &x->frames[i];
    aoe_ata_request req = {
        .shelf = s->target.shelf,
        .slot = s->target.slot,
        .tag = aoe_tag_make(s->command_seq, (uint16_t)i),
        .aflags = x->aflags,
        .feature = x->feature,
        .sector_count = p->sector_count,
        .command = x->command,
        .lba = p->lba,
        .data = p->out_len ? x->data + p->data_off : NULL,
        .data_len = p->out_len,
    };
    memcpy(req.dst, s->target.mac, 6);
    memcpy(req.src, s->link->mac, 6);
    size_t len = aoe_build_ata(frame, sizeof frame, &req);
    if (len == 0 || link_send(s->link, frame, len) < 0) return -1;
    t->state = FRAME_IN_FLIGHT;
    t->sent_ns = now_ns();
    t->tries++;
    return 0;
}

static void store_reply(const aoe_frame *f, unsigned i, ata_reply *r) {
    *r = (ata_reply){
        .aoe_error = f->is_error,
        .aoe_code = f->hdr.error,
        .status = f->ata.cmd_status,
        .error = f->ata.err_feature,
        .sector_count = f->ata.sector_count,
        .lba = f->ata.lba,
        .data_len = f->ata.data_len,
        .frame = i,
    };
}

/* Returns the frame index a received frame answers, or -1 if it is not ours or not expected. */
static int match(const aoe_session *s, const ata_exchange *x, const frame_track *track, const aoe_frame *f) {
    if (!f->is_response || f->hdr.command != AOE_CMD_ATA) return -1;
    if (memcmp(f->hdr.src, s->target.mac, 6) != 0 || memcmp(f->hdr.dst, s->link->mac, 6) != 0) return -1;
    if (aoe_tag_command_seq(f->hdr.tag) != s->command_seq) return -1;
    unsigned i = aoe_tag_packet_index(f->hdr.tag);
    if (i >= x->nframes || track[i].state != FRAME_IN_FLIGHT) return -1;
    return (int)i;
}

/* Retransmits frames whose timer ran out; returns 0, or an EXCHANGE_* failure. */
static int retransmit_expired(aoe_session *s, ata_exchange *x, frame_track *track, uint64_t now) {
    for (unsigned i = 0; i < x->nframes; i++) {
        frame_track *t = &track[i];
        unsigned doublings = t->tries - 1 < 10 ? t->tries - 1 : 10; /* back-off, capped at 1024 x */
        if (t->state != FRAME_IN_FLIGHT || now - t->sent_ns < (s->timeout_ns << doublings)) continue;
        if (t->tries > s->retries) return EXCHANGE_NO_RESPONSE;
        if (send_frame(s, x, i, t) < 0) return EXCHANGE_SOCKET_ERROR;
        s->retransmits++;
    }
    return 0;
}

/* Accepts one matched response; returns EXCHANGE_OK or the failure it carries. */
static int complete_frame(ata_exchange *x, const aoe_frame *f, unsigned i, frame_track *t, uint64_t now) {
    const frame_plan *p = &x->frames[i];
    t->state = FRAME_DONE;
    if (x->rtt_ns) x->rtt_ns[i] = t->tries == 1 ? now - t->sent_ns : 0;
    bool failed = f->is_error || (f->ata.cmd_status & ATA_STATUS_ERR);
    if (i == 0 || failed) store_reply(f, i, &x->reply);
    if (failed) return EXCHANGE_ATA_ERROR;
    if (f->ata.data_len < p->in_len) {
        store_reply(f, i, &x->reply);
        return EXCHANGE_SHORT_DATA;
    }
    memcpy(x->data + p->data_off, f->ata.data, p->in_len);
    return EXCHANGE_OK;
}

int exchange_run(aoe_session *s, ata_exchange *x) {
    frame_track *track = calloc(x->nframes, sizeof *track);
    uint8_t *buf = malloc(65536);
    int result = EXCHANGE_OK;
    unsigned next = 0, in_flight = 0, done = 0;
    uint64_t next_scan = now_ns() + s->timeout_ns / 4;
    if (!track || !buf) abort();
    s->command_seq++;
    while (done < x->nframes && result == EXCHANGE_OK) {
        while (in_flight < s->window && next < x->nframes) {
            if (send_frame(s, x, next, &track[next]) < 0) {
                result = EXCHANGE_SOCKET_ERROR;
                goto out;
            }
            next++;
            in_flight++;
        }
        long got = link_recv(s->link, buf, 65536, s->timeout_ns / 4);
        uint64_t now = now_ns();
        if (got < 0) {
            result = EXCHANGE_SOCKET_ERROR;
            break;
        }
        aoe_frame f;
        if (got > 0 && aoe_parse(buf, (size_t)got, &f) == AOE_PARSE_OK) {
            int i = match(s, x, track, &f);
            if (i >= 0) {
                in_flight--;
                done++;
                result = complete_frame(x, &f, (unsigned)i, &track[i], now);
            } else if (f.is_response) {
                s->stray_frames++;
            }
        }
        if (result == EXCHANGE_OK && now >= next_scan) {
            result = retransmit_expired(s, x, track, now);
            next_scan = now + s->timeout_ns / 4;
        }
    }
out:
    free(track);
    free(buf);
    return result;
}

const char *exchange_result_name(int result) {
    switch (result) {
    case EXCHANGE_OK: return "ok";
    case EXCHANGE_ATA_ERROR: return "ata-error";
    case EXCHANGE_SHORT_DATA: return "short-data";
    case EXCHANGE_NO_RESPONSE: return "no-response";
    default: return "socket-error";
    }
}
