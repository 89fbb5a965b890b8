/* SPDX-License-Identifier: MIT */
/* AoE frame codec; see aoe.h for the wire layout. Freestanding: byte loops instead of libc. */
#include "aoe.h"

static void put_be16(uint8_t *p, uint16_t v) {
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put_be32(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static uint16_t get_be16(const uint8_t *p) { return (uint16_t)((p[0] << 8) | p[1]); }

static uint32_t get_be32(const uint8_t *p) {
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static void copy_bytes(uint8_t *dst, const uint8_t *src, size_t n) {
    for (size_t i = 0; i < n; i++) dst[i] = src[i];
}

static void zero_bytes(uint8_t *dst, size_t n) {
    for (size_t i = 0; i < n; i++) dst[i] = 0;
}

/* Writes the Ethernet and AoE common header of a request (Response and Error flags clear). */
static void put_header(uint8_t *buf, const uint8_t dst[6], const uint8_t src[6], uint16_t shelf, uint8_t slot,
                       uint8_t command, uint32_t tag) {
    copy_bytes(buf, dst, 6);
    copy_bytes(buf + 6, src, 6);
    put_be16(buf + 12, AOE_ETHERTYPE);
    buf[14] = (uint8_t)(AOE_VERSION << 4);
    buf[15] = 0;
    put_be16(buf + 16, shelf);
    buf[18] = slot;
    buf[19] = command;
    put_be32(buf + 20, tag);
}

size_t aoe_build_ata(uint8_t *buf, size_t cap, const aoe_ata_request *req) {
    size_t used = AOE_ATA_HDR_LEN + req->data_len;
    size_t len = used < AOE_MIN_FRAME ? AOE_MIN_FRAME : used;
    if (req->data_len > cap || cap < len) return 0;
    put_header(buf, req->dst, req->src, req->shelf, req->slot, AOE_CMD_ATA, req->tag);
    uint8_t *arg = buf + AOE_HDR_LEN;
    arg[0] = req->aflags;
    arg[1] = req->feature;
    arg[2] = req->sector_count;
    arg[3] = req->command;
    for (unsigned i = 0; i < 6; i++) arg[4 + i] = (uint8_t)(req->lba >> (8 * i));
    arg[10] = 0;
    arg[11] = 0;
    if (req->data_len) copy_bytes(buf + AOE_ATA_HDR_LEN, req->data, req->data_len);
    zero_bytes(buf + used, len - used);
    return len;
}

size_t aoe_build_query_config(uint8_t *buf, size_t cap, const uint8_t src[6], const uint8_t dst[6], uint16_t shelf,
                              uint8_t slot, uint32_t tag) {
    if (cap < AOE_MIN_FRAME) return 0;
    put_header(buf, dst, src, shelf, slot, AOE_CMD_QUERY_CONFIG, tag);
    zero_bytes(buf + AOE_HDR_LEN, AOE_MIN_FRAME - AOE_HDR_LEN);
    /* Buffer count, firmware, sector count are target fields: zero in a request. */
    buf[29] = (uint8_t)((AOE_VERSION << 4) | AOE_CCMD_READ);
    return AOE_MIN_FRAME;
}

static enum aoe_parse_status parse_ata(const uint8_t *frame, size_t len, aoe_frame *out) {
    if (len < AOE_ATA_HDR_LEN) return AOE_PARSE_ATA_TOO_SHORT;
    const uint8_t *arg = frame + AOE_HDR_LEN;
    out->ata.aflags = arg[0];
    out->ata.err_feature = arg[1];
    out->ata.sector_count = arg[2];
    out->ata.cmd_status = arg[3];
    uint64_t lba = 0;
    for (unsigned i = 0; i < 6; i++) lba |= (uint64_t)arg[4 + i] << (8 * i);
    out->ata.lba = lba;
    out->ata.data_len = len - AOE_ATA_HDR_LEN;
    out->ata.data = out->ata.data_len ? frame + AOE_ATA_HDR_LEN : NULL;
    return AOE_PARSE_OK;
}

static enum aoe_parse_status parse_config(const uint8_t *frame, size_t len, aoe_frame *out) {
    if (len < AOE_CFG_HDR_LEN) return AOE_PARSE_CONFIG_TOO_SHORT;
    const uint8_t *arg = frame + AOE_HDR_LEN;
    out->config.buffer_count = get_be16(arg);
    out->config.firmware = get_be16(arg + 2);
    out->config.sectors_per_frame = arg[4];
    out->config.aoe_version = arg[5] >> 4;
    out->config.ccmd = arg[5] & 0x0F;
    uint16_t slen = get_be16(arg + 6);
    if (slen > AOE_CONFIG_MAX || slen > len - AOE_CFG_HDR_LEN) return AOE_PARSE_CONFIG_OVERRUN;
    out->config.string_len = slen;
    out->config.string = frame + AOE_CFG_HDR_LEN;
    return AOE_PARSE_OK;
}

enum aoe_parse_status aoe_parse(const uint8_t *frame, size_t len, aoe_frame *out) {
    zero_bytes((uint8_t *)out, sizeof *out);
    if (len < AOE_HDR_LEN) return AOE_PARSE_TOO_SHORT;
    if (get_be16(frame + 12) != AOE_ETHERTYPE) return AOE_PARSE_NOT_AOE;
    copy_bytes(out->hdr.dst, frame, 6);
    copy_bytes(out->hdr.src, frame + 6, 6);
    if ((frame[14] >> 4) != AOE_VERSION) return AOE_PARSE_BAD_VERSION;
    out->hdr.flags = frame[14] & 0x0F;
    out->hdr.error = frame[15];
    out->hdr.shelf = get_be16(frame + 16);
    out->hdr.slot = frame[18];
    out->hdr.command = frame[19];
    out->hdr.tag = get_be32(frame + 20);
    out->is_response = (out->hdr.flags & AOE_FLAG_RESPONSE) != 0;
    out->is_error = (out->hdr.flags & AOE_FLAG_ERROR) != 0;
    switch (out->hdr.command) {
    case AOE_CMD_ATA: return parse_ata(frame, len, out);
    case AOE_CMD_QUERY_CONFIG: return parse_config(frame, len, out);
    case AOE_CMD_MAC_MASK:
    case AOE_CMD_RESERVE: return AOE_PARSE_OK; /* header only: the project never sends these */
    default: return AOE_PARSE_UNKNOWN_COMMAND;
    }
}

const char *aoe_parse_status_name(enum aoe_parse_status status) {
    static const char *const names[AOE_PARSE_STATUS_COUNT] = {
        [AOE_PARSE_OK] = "ok",
        [AOE_PARSE_TOO_SHORT] = "too-short",
        [AOE_PARSE_NOT_AOE] = "not-aoe",
        [AOE_PARSE_BAD_VERSION] = "bad-version",
        [AOE_PARSE_ATA_TOO_SHORT] = "ata-too-short",
        [AOE_PARSE_CONFIG_TOO_SHORT] = "config-too-short",
        [AOE_PARSE_CONFIG_OVERRUN] = "config-overrun",
        [AOE_PARSE_UNKNOWN_COMMAND] = "unknown-command",
    };
    return (unsigned)status < AOE_PARSE_STATUS_COUNT ? names[status] : "invalid-status";
}

unsigned aoe_sectors_per_frame(unsigned mtu) {
    return mtu < AOE_ATA_HDR_LEN ? 0 : (mtu - AOE_ATA_HDR_LEN) / AOE_SECTOR;
}

const char *aoe_error_name(uint8_t error) {
    static const char *const names[] = {
        [AOE_ERR_UNRECOGNIZED_COMMAND] = "unrecognized command",
        [AOE_ERR_BAD_ARGUMENT] = "bad argument",
        [AOE_ERR_DEVICE_UNAVAILABLE] = "device unavailable",
        [AOE_ERR_CONFIG_STRING_PRESENT] = "config string present",
        [AOE_ERR_UNSUPPORTED_VERSION] = "unsupported version",
        [AOE_ERR_TARGET_RESERVED] = "target reserved",
    };
    return error < sizeof names / sizeof names[0] && names[error] ? names[error] : "unknown error";
}
