/* SPDX-License-Identifier: MIT */
/* AoE target logic of aoe-parallel (see target.h). Byte offsets are those of aoe.h's layout. */
#include "target.h"

#include <string.h>

#include "aoe.h"

enum {
    OFF_FLAGS = 14,
    OFF_ERROR = 15,
    OFF_SHELF = 16,
    OFF_SLOT = 18,
    OFF_TAG = 20,
    /* Query Config argument */
    OFF_BUFCNT = 24,
    OFF_FIRMWARE = 26,
    OFF_SCNT = 28,
    OFF_VERCMD = 29,
    OFF_CFGLEN = 30,
    /* MAC mask: reserved, mcmd, merror, directive count, then 8-byte directives */
    OFF_MCMD = 25,
    OFF_MERROR = 26,
    OFF_NMACS = 27,
    MASK_HDR = 28,
    /* reserve/release: rcmd, count, then MACs */
    OFF_RCMD = 24,
    OFF_RNMACS = 25,
    RESERVE_HDR = 26,
};

static uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static void put_be16(uint8_t *p, uint16_t v) {
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

void target_init(aoe_target *t, uint16_t shelf, uint8_t slot, const uint8_t mac[6], uint16_t bufcnt) {
    memset(t, 0, sizeof *t);
    t->shelf = shelf;
    t->slot = slot;
    memcpy(t->mac, mac, 6);
    t->bufcnt = bufcnt;
    t->firmware = 0x4000 + 25; /* vblade 25's: initiators see the same target */
}

static int find_mac(uint8_t (*list)[6], int n, const uint8_t mac[6]) {
    for (int i = 0; i < n; i++)
        if (memcmp(list[i], mac, 6) == 0) return i;
    return -1;
}

bool target_add_mask(aoe_target *t, const uint8_t mac[6]) {
    if (find_mac(t->masks, t->nmasks, mac) >= 0) return true;
    if (t->nmasks >= TARGET_MAX_MASKS) return false;
    memcpy(t->masks[t->nmasks++], mac, 6);
    return true;
}

static void remove_mask(aoe_target *t, const uint8_t mac[6]) {
    int i = find_mac(t->masks, t->nmasks, mac);
    if (i < 0) return;
    memmove(t->masks[i], t->masks[i + 1], (size_t)(t->nmasks - i - 1) * 6);
    t->nmasks--;
}

/* With a reserve list, only its MACs may issue commands (IDENTIFY excepted, as in vblade). */
static bool reserve_ok(const aoe_target *t, const uint8_t mac[6]) {
    return t->nreserve == 0 || find_mac((uint8_t(*)[6])t->reserve, t->nreserve, mac) >= 0;
}

static void set_error(uint8_t *buf, uint8_t error) {
    buf[OFF_FLAGS] |= AOE_FLAG_ERROR;
    buf[OFF_ERROR] = error;
}

/* Every answer: back to the sender, from us, our shelf and slot, Response flag. */
static void respond(const aoe_target *t, uint8_t *buf) {
    memcpy(buf, buf + 6, 6);
    memcpy(buf + 6, t->mac, 6);
    put_be16(buf + OFF_SHELF, t->shelf);
    buf[OFF_SLOT] = t->slot;
    buf[OFF_FLAGS] |= AOE_FLAG_RESPONSE;
}

/* Query Config. payload: the string's room in the frame. Returns the answer length, 0 = silent. */
static size_t config(aoe_target *t, uint8_t *buf, size_t payload) {
    uint8_t ccmd = buf[OFF_VERCMD] & 0x0f;
    size_t len = be16(buf + OFF_CFGLEN);
    const uint8_t *s = buf + AOE_CFG_HDR_LEN;
    if (ccmd != AOE_CCMD_READ && (len > TARGET_CONFIG_MAX || len > payload)) return 0;
    switch (ccmd) {
    case AOE_CCMD_TEST:
        if (len != t->nconfig) return 0;
        /* fall through */
    case AOE_CCMD_TEST_PREFIX:
        if (len > t->nconfig || memcmp(t->config, s, len) != 0) return 0;
        break;
    case AOE_CCMD_READ: break;
    case AOE_CCMD_SET:
        if (t->nconfig && (t->nconfig != len || memcmp(t->config, s, len) != 0)) {
            set_error(buf, AOE_ERR_CONFIG_STRING_PRESENT);
            break;
        }
        /* fall through */
    case AOE_CCMD_FORCE_SET:
        t->nconfig = len;
        memcpy(t->config, s, len);
        break;
    default: set_error(buf, AOE_ERR_BAD_ARGUMENT);
    }
    memcpy(buf + AOE_CFG_HDR_LEN, t->config, t->nconfig);
    put_be16(buf + OFF_CFGLEN, (uint16_t)t->nconfig);
    put_be16(buf + OFF_BUFCNT, t->bufcnt);
    buf[OFF_SCNT] = (uint8_t)t->drive.max_sectors;
    put_be16(buf + OFF_FIRMWARE, t->firmware);
    buf[OFF_VERCMD] = (uint8_t)(AOE_VERSION << 4 | ccmd);
    return AOE_CFG_HDR_LEN + t->nconfig;
}

/* MAC mask list: read, or edit by directives (0 nop, 1 add, 2 delete), then the list. */
static size_t mask(aoe_target *t, uint8_t *buf, size_t len) {
    uint8_t *dir = buf + MASK_HDR;
    size_t n = 0;
    switch (buf[OFF_MCMD]) {
    case 1: /* edit */
        if (len < MASK_HDR + (size_t)buf[OFF_NMACS] * 8) {
            set_error(buf, AOE_ERR_BAD_ARGUMENT);
            return MASK_HDR;
        }
        for (int i = 0; i < buf[OFF_NMACS]; i++, dir += 8) {
            uint8_t d = dir[1];
            if (d == 0) continue;
            if (d == 2) {
                remove_mask(t, dir + 2);
                continue;
            }
            if (d == 1 && target_add_mask(t, dir + 2)) continue;
            buf[OFF_MERROR] = d == 1 ? 3 /* list full */ : 2 /* bad directive */;
            buf[OFF_NMACS] = (uint8_t)i;
            return MASK_HDR;
        }
        /* the list after the edit */
        /* fall through */
    case 0: /* read */
        dir = buf + MASK_HDR;
        for (int i = 0; i < t->nmasks; i++, dir += 8) {
            dir[0] = dir[1] = 0;
            memcpy(dir + 2, t->masks[i], 6);
        }
        buf[OFF_MERROR] = 0;
        buf[OFF_NMACS] = (uint8_t)t->nmasks;
        n = (size_t)t->nmasks * 8;
        break;
    default: set_error(buf, AOE_ERR_BAD_ARGUMENT);
    }
    return MASK_HDR + n;
}

/* Reserve/release: 0 read, 1 set (by a reserving MAC), 2 force set; answers with the list. */
static size_t reserve(aoe_target *t, uint8_t *buf, size_t len) {
    uint8_t *macs = buf + RESERVE_HDR;
    size_t n;
    switch (buf[OFF_RCMD]) {
    case 1:
        if (!reserve_ok(t, buf + 6)) {
            set_error(buf, AOE_ERR_TARGET_RESERVED);
            break;
        }
        /* fall through */
    case 2:
        n = (size_t)buf[OFF_RNMACS] * 6;
        if (len < RESERVE_HDR + n) {
            set_error(buf, AOE_ERR_BAD_ARGUMENT);
            break;
        }
        t->nreserve = buf[OFF_RNMACS];
        memcpy(t->reserve, macs, n);
        break;
    case 0: break;
    default: set_error(buf, AOE_ERR_BAD_ARGUMENT);
    }
    buf[OFF_RNMACS] = (uint8_t)t->nreserve;
    memcpy(macs, t->reserve, (size_t)t->nreserve * 6);
    return RESERVE_HDR + (size_t)t->nreserve * 6;
}

/* The ATA answer: registers into the argument, data (if any) already at offset 36. */
static size_t ata_answer(aoe_target *t, uint8_t *buf, const ata_regs *r) {
    size_t len = AOE_ATA_HDR_LEN + r->nout;
    if (len < AOE_MIN_FRAME) len = AOE_MIN_FRAME;
    if (r->lbaout)
        for (int i = 0; i < 6; i++) buf[AOE_HDR_LEN + 4 + i] = (uint8_t)(r->lba >> (8 * i));
    buf[AOE_HDR_LEN + 1] = r->err;
    buf[AOE_HDR_LEN + 2] = r->sectors;
    buf[AOE_HDR_LEN + 3] = r->status;
    respond(t, buf);
    return len;
}

/* An ATA request AoE refuses: only the command is known to the accounting. */
static size_t ata_refused(aoe_target *t, uint8_t *buf, target_result *res, uint8_t error) {
    uint8_t cmd = res->regs.cmd;
    memset(&res->regs, 0, sizeof res->regs);
    res->regs.cmd = cmd;
    res->aoe_error = error;
    set_error(buf, error);
    respond(t, buf);
    return AOE_MIN_FRAME;
}

static void ata_request(aoe_target *t, uint8_t *buf, const aoe_frame *f, size_t len, size_t data_room,
                        target_result *res) {
    ata_regs *r = &res->regs;
    res->is_ata = true;
    res->req_cmd = r->cmd = f->ata.cmd_status;
    res->req_sectors = r->sectors = f->ata.sector_count;
    res->req_lba = r->lba = f->ata.lba;
    res->tag = f->hdr.tag;
    r->feature = f->ata.err_feature;
    r->wflag = (f->ata.aflags & AOE_AFLAG_WRITE) != 0;
    r->payload = len - AOE_ATA_HDR_LEN;
    res->verdict = TARGET_ANSWER;
    if (r->cmd != 0xec && !reserve_ok(t, f->hdr.src)) {
        res->answer_len = ata_refused(t, buf, res, AOE_ERR_TARGET_RESERVED);
        return;
    }
    res->io = ata_begin(&t->drive, r, buf + AOE_ATA_HDR_LEN, data_room);
    switch (res->io.action) {
    case ATA_REFUSE: res->answer_len = ata_refused(t, buf, res, AOE_ERR_BAD_ARGUMENT); return;
    case ATA_DONE: res->answer_len = ata_answer(t, buf, r); return;
    default: res->verdict = TARGET_IO; return;
    }
}

void target_finish_io(aoe_target *t, uint8_t *buf, target_result *r, long result) {
    ata_complete(&t->drive, &r->regs, &r->io, result);
    r->verdict = TARGET_ANSWER;
    r->answer_len = ata_answer(t, buf, &r->regs);
}

target_result target_receive(aoe_target *t, uint8_t *buf, size_t len, size_t cap, size_t data_room) {
    target_result res;
    memset(&res, 0, sizeof res);
    res.verdict = TARGET_DROP;
    if (len < AOE_HDR_LEN || be16(buf + 12) != AOE_ETHERTYPE) return res;
    /* Filters on the raw header, before the version check (as vblade): responses, other
     * targets, MACs outside the mask list. */
    uint16_t shelf = be16(buf + OFF_SHELF);
    uint8_t slot = buf[OFF_SLOT];
    if (buf[OFF_FLAGS] & AOE_FLAG_RESPONSE) return res;
    if (shelf != t->shelf && shelf != AOE_SHELF_ANY) return res;
    if (slot != t->slot && slot != AOE_SLOT_ANY) return res;
    if (t->nmasks && find_mac(t->masks, t->nmasks, buf + 6) < 0) return res;
    if (len < AOE_MIN_FRAME) memset(buf + len, 0, AOE_MIN_FRAME - len); /* short answers are padded with zeros */

    aoe_frame f;
    enum aoe_parse_status st = aoe_parse(buf, len, &f);
    size_t answer = 0;
    switch (st) {
    case AOE_PARSE_BAD_VERSION: /* answered with the header only, as version 1 */
        buf[OFF_FLAGS] = AOE_VERSION << 4 | AOE_FLAG_ERROR;
        buf[OFF_ERROR] = AOE_ERR_UNSUPPORTED_VERSION;
        answer = AOE_MIN_FRAME;
        break;
    case AOE_PARSE_UNKNOWN_COMMAND:
        set_error(buf, AOE_ERR_UNRECOGNIZED_COMMAND);
        answer = len;
        break;
    case AOE_PARSE_CONFIG_OVERRUN: /* a read ignores the string: config() decides */
    case AOE_PARSE_OK:
        switch (buf[19]) {
        case AOE_CMD_ATA: ata_request(t, buf, &f, len, data_room, &res); return res;
        case AOE_CMD_QUERY_CONFIG: answer = config(t, buf, len - AOE_CFG_HDR_LEN); break;
        case AOE_CMD_MAC_MASK: answer = len < MASK_HDR ? 0 : mask(t, buf, len); break;
        case AOE_CMD_RESERVE: answer = len < RESERVE_HDR ? 0 : reserve(t, buf, len); break;
        }
        break;
    default: return res; /* ATA or Query Config argument cut short: silent */
    }
    if (answer == 0 || answer > cap) return res;
    respond(t, buf);
    res.verdict = TARGET_ANSWER;
    res.answer_len = answer;
    return res;
}

size_t target_advertisement(aoe_target *t, uint8_t *buf, const uint8_t dst[6]) {
    memset(buf, 0, AOE_CFG_HDR_LEN);
    memcpy(buf, dst, 6);
    memcpy(buf + 6, t->mac, 6);
    put_be16(buf + 12, AOE_ETHERTYPE);
    buf[OFF_FLAGS] = AOE_VERSION << 4 | AOE_FLAG_RESPONSE;
    put_be16(buf + OFF_SHELF, t->shelf);
    buf[OFF_SLOT] = t->slot;
    buf[19] = AOE_CMD_QUERY_CONFIG;
    put_be16(buf + OFF_BUFCNT, t->bufcnt);
    put_be16(buf + OFF_FIRMWARE, t->firmware);
    buf[OFF_SCNT] = (uint8_t)t->drive.max_sectors;
    buf[OFF_VERCMD] = AOE_VERSION << 4 | AOE_CCMD_READ;
    put_be16(buf + OFF_CFGLEN, (uint16_t)t->nconfig);
    memcpy(buf + AOE_CFG_HDR_LEN, t->config, t->nconfig);
    return AOE_CFG_HDR_LEN + t->nconfig;
}
