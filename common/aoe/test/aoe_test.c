/* SPDX-License-Identifier: MIT */
/* Host unit tests of the AoE codec (common/aoe/aoe.c). Expected bytes are worked out by hand
 * from the AoEr11 layout in aoe.h, not produced by the codec. */
#include "aoe.h"
#include "tap.h"

static const uint8_t DST[6] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 };
static const uint8_t SRC[6] = { 0x66, 0x77, 0x88, 0x99, 0xAA, 0xBB };
static const uint8_t BCAST[6] = { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };

static aoe_ata_request sample_request(void) {
    aoe_ata_request r = { 0 };
    memcpy(r.dst, DST, 6);
    memcpy(r.src, SRC, 6);
    r.shelf = 0x0102;
    r.slot = 3;
    r.tag = 0x00050007;
    r.aflags = AOE_AFLAG_EXT | AOE_AFLAG_WRITE;
    r.feature = 0;
    r.sector_count = 2;
    r.command = 0x34;
    r.lba = 0x123456789AULL;
    return r;
}

static void ata_request_bytes_exact(void) {
    static const uint8_t payload[4] = { 0xDE, 0xAD, 0xBE, 0xEF };
    static const uint8_t expected[60] = {
        0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xAA, 0xBB, /* MACs */
        0x88, 0xA2,                                                             /* EtherType */
        0x10, 0x00, 0x01, 0x02, 0x03, 0x00,                                     /* ver, err, shelf, slot, cmd */
        0x00, 0x05, 0x00, 0x07,                                                 /* tag */
        0x41, 0x00, 0x02, 0x34,                                                 /* aflags, feature, count, cmd */
        0x9A, 0x78, 0x56, 0x34, 0x12, 0x00, 0x00, 0x00,                         /* LBA LE, reserved */
        0xDE, 0xAD, 0xBE, 0xEF,                                                 /* data, then padding */
    };
    aoe_ata_request r = sample_request();
    r.data = payload;
    r.data_len = sizeof payload;
    uint8_t buf[128];
    memset(buf, 0xCC, sizeof buf);
    size_t len = aoe_build_ata(buf, sizeof buf, &r);
    CHECK_EQ_U64(len, 60);
    CHECK(memcmp(buf, expected, sizeof expected) == 0);
    CHECK_EQ_U64(buf[60], 0xCC); /* nothing written past the frame */
}

static void query_config_bytes_exact(void) {
    uint8_t expected[60] = {
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x66, 0x77, 0x88, 0x99, 0xAA, 0xBB, 0x88, 0xA2, 0x10, 0x00, 0xFF,
        0xFF, 0xFF, 0x01, 0xCA, 0xFE, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, /* bufcnt, fw, scnt, ver|ccmd, strlen */
    };
    uint8_t buf[64];
    memset(buf, 0xCC, sizeof buf);
    size_t len = aoe_build_query_config(buf, sizeof buf, SRC, BCAST, AOE_SHELF_ANY, AOE_SLOT_ANY, 0xCAFE0001);
    CHECK_EQ_U64(len, 60);
    CHECK(memcmp(buf, expected, sizeof expected) == 0);
}

static void ata_round_trip_with_data(void) {
    uint8_t payload[1024];
    for (unsigned i = 0; i < sizeof payload; i++) payload[i] = (uint8_t)(i * 7 + 1);
    aoe_ata_request r = sample_request();
    r.lba = 0xFFFFFFFFFFFFULL; /* every LBA bit set: 48 bits survive */
    r.data = payload;
    r.data_len = sizeof payload;
    uint8_t buf[AOE_ATA_HDR_LEN + 1024];
    size_t len = aoe_build_ata(buf, sizeof buf, &r);
    CHECK_EQ_U64(len, AOE_ATA_HDR_LEN + 1024);
    aoe_frame f;
    CHECK_EQ_U64(aoe_parse(buf, len, &f), AOE_PARSE_OK);
    CHECK(memcmp(f.hdr.dst, DST, 6) == 0);
    CHECK(memcmp(f.hdr.src, SRC, 6) == 0);
    CHECK_EQ_U64(f.hdr.shelf, 0x0102);
    CHECK_EQ_U64(f.hdr.slot, 3);
    CHECK_EQ_U64(f.hdr.command, AOE_CMD_ATA);
    CHECK_EQ_U64(f.hdr.tag, 0x00050007);
    CHECK(!f.is_response && !f.is_error);
    CHECK_EQ_U64(f.ata.aflags, 0x41);
    CHECK_EQ_U64(f.ata.sector_count, 2);
    CHECK_EQ_U64(f.ata.cmd_status, 0x34);
    CHECK_EQ_U64(f.ata.lba, 0xFFFFFFFFFFFFULL);
    CHECK_EQ_U64(f.ata.data_len, 1024);
    CHECK(f.ata.data == buf + AOE_ATA_HDR_LEN);
    CHECK(memcmp(f.ata.data, payload, sizeof payload) == 0);
}

static void ata_build_refuses_small_buffer(void) {
    uint8_t payload[512] = { 0 };
    aoe_ata_request r = sample_request();
    r.data = payload;
    r.data_len = sizeof payload;
    uint8_t buf[AOE_ATA_HDR_LEN + 511];
    CHECK_EQ_U64(aoe_build_ata(buf, sizeof buf, &r), 0);
    r.data_len = 0;
    CHECK_EQ_U64(aoe_build_ata(buf, 59, &r), 0); /* even an argument-only frame needs 60 bytes */
    CHECK_EQ_U64(aoe_build_query_config(buf, 59, SRC, BCAST, 1, 1, 1), 0);
}

/* A response as vblade sends it: flags Response|Error, error 2, ATA status/err set. */
static void ata_error_response_parses(void) {
    uint8_t frame[60] = {
        0x66, 0x77, 0x88, 0x99, 0xAA, 0xBB, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x88, 0xA2, 0x1C, 0x02, 0x00, 0x00,
        0x01, 0x00, 0x00, 0x02, 0x00, 0x03, 0x00, 0x04, 0x00, 0x51, 0x01, 0x02, 0x03, 0xE0, 0x00, 0x00, 0x00, 0x00,
    };
    aoe_frame f;
    CHECK_EQ_U64(aoe_parse(frame, sizeof frame, &f), AOE_PARSE_OK);
    CHECK(f.is_response);
    CHECK(f.is_error);
    CHECK_EQ_U64(f.hdr.error, AOE_ERR_BAD_ARGUMENT);
    CHECK_EQ_U64(f.hdr.shelf, 0);
    CHECK_EQ_U64(f.hdr.slot, 1);
    CHECK_EQ_U64(aoe_tag_command_seq(f.hdr.tag), 2);
    CHECK_EQ_U64(aoe_tag_packet_index(f.hdr.tag), 3);
    CHECK_EQ_U64(f.ata.err_feature, 0x04);
    CHECK_EQ_U64(f.ata.cmd_status, 0x51);
    CHECK_EQ_U64(f.ata.lba, 0xE0030201ULL);
    CHECK_EQ_U64(f.ata.data_len, 24); /* Ethernet padding is reported as data; length tells */
}

static void config_response_parses(void) {
    uint8_t frame[60] = {
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x66, 0x77, 0x88, 0x99, 0xAA, 0xBB, 0x88, 0xA2, 0x18, 0x00, 0x00, 0x07,
        0x02, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x40, 0x19, 0x11, 0x10, 0x00, 0x03, 'a',  'b',  'c',
    };
    aoe_frame f;
    CHECK_EQ_U64(aoe_parse(frame, sizeof frame, &f), AOE_PARSE_OK);
    CHECK(f.is_response && !f.is_error);
    CHECK_EQ_U64(f.hdr.command, AOE_CMD_QUERY_CONFIG);
    CHECK_EQ_U64(f.hdr.shelf, 7);
    CHECK_EQ_U64(f.hdr.slot, 2);
    CHECK_EQ_U64(f.config.buffer_count, 16);
    CHECK_EQ_U64(f.config.firmware, 0x4019);
    CHECK_EQ_U64(f.config.sectors_per_frame, 17);
    CHECK_EQ_U64(f.config.aoe_version, 1);
    CHECK_EQ_U64(f.config.ccmd, AOE_CCMD_READ);
    CHECK_EQ_U64(f.config.string_len, 3);
    CHECK(memcmp(f.config.string, "abc", 3) == 0);
}

static void query_config_round_trip(void) {
    uint8_t buf[60];
    size_t len = aoe_build_query_config(buf, sizeof buf, SRC, DST, 9, 4, 0x10002);
    aoe_frame f;
    CHECK_EQ_U64(aoe_parse(buf, len, &f), AOE_PARSE_OK);
    CHECK_EQ_U64(f.hdr.command, AOE_CMD_QUERY_CONFIG);
    CHECK_EQ_U64(f.hdr.shelf, 9);
    CHECK_EQ_U64(f.hdr.slot, 4);
    CHECK_EQ_U64(f.hdr.tag, 0x10002);
    CHECK_EQ_U64(f.config.aoe_version, 1);
    CHECK_EQ_U64(f.config.string_len, 0);
}

/* One valid frame, then each malformation on its own copy. */
static void every_rejection(void) {
    uint8_t good[60];
    aoe_ata_request r = sample_request();
    size_t len = aoe_build_ata(good, sizeof good, &r);
    uint8_t f[60];
    aoe_frame out;

    CHECK_EQ_U64(aoe_parse(good, len, &out), AOE_PARSE_OK);
    CHECK_EQ_U64(aoe_parse(good, 0, &out), AOE_PARSE_TOO_SHORT);
    CHECK_EQ_U64(aoe_parse(good, AOE_HDR_LEN - 1, &out), AOE_PARSE_TOO_SHORT);

    memcpy(f, good, sizeof f);
    f[12] = 0x08;
    f[13] = 0x00; /* IPv4 */
    CHECK_EQ_U64(aoe_parse(f, len, &out), AOE_PARSE_NOT_AOE);

    memcpy(f, good, sizeof f);
    f[14] = 0x20; /* version 2 */
    CHECK_EQ_U64(aoe_parse(f, len, &out), AOE_PARSE_BAD_VERSION);
    f[14] = 0x00; /* version 0 */
    CHECK_EQ_U64(aoe_parse(f, len, &out), AOE_PARSE_BAD_VERSION);

    CHECK_EQ_U64(aoe_parse(good, AOE_ATA_HDR_LEN - 1, &out), AOE_PARSE_ATA_TOO_SHORT);
    CHECK_EQ_U64(aoe_parse(good, AOE_ATA_HDR_LEN, &out), AOE_PARSE_OK);
    CHECK_EQ_U64(out.ata.data_len, 0);
    CHECK(out.ata.data == NULL);

    memcpy(f, good, sizeof f);
    f[19] = AOE_CMD_QUERY_CONFIG;
    CHECK_EQ_U64(aoe_parse(f, AOE_CFG_HDR_LEN - 1, &out), AOE_PARSE_CONFIG_TOO_SHORT);
    f[30] = 0x00;
    f[31] = 29; /* string of 29 bytes in a 60-byte frame: 28 available */
    CHECK_EQ_U64(aoe_parse(f, 60, &out), AOE_PARSE_CONFIG_OVERRUN);
    f[31] = 28;
    CHECK_EQ_U64(aoe_parse(f, 60, &out), AOE_PARSE_OK);
    f[30] = 0x04;
    f[31] = 0x01; /* 1025 > 1024 */
    CHECK_EQ_U64(aoe_parse(f, 60, &out), AOE_PARSE_CONFIG_OVERRUN);

    memcpy(f, good, sizeof f);
    f[19] = 4;
    CHECK_EQ_U64(aoe_parse(f, len, &out), AOE_PARSE_UNKNOWN_COMMAND);
    f[19] = AOE_CMD_MAC_MASK;
    CHECK_EQ_U64(aoe_parse(f, len, &out), AOE_PARSE_OK);
    f[19] = AOE_CMD_RESERVE;
    CHECK_EQ_U64(aoe_parse(f, len, &out), AOE_PARSE_OK);
}

static void rejection_clears_output(void) {
    uint8_t good[60];
    aoe_ata_request r = sample_request();
    size_t len = aoe_build_ata(good, sizeof good, &r);
    aoe_frame out;
    CHECK_EQ_U64(aoe_parse(good, len, &out), AOE_PARSE_OK);
    CHECK_EQ_U64(aoe_parse(good, 10, &out), AOE_PARSE_TOO_SHORT);
    CHECK_EQ_U64(out.hdr.tag, 0);
    CHECK_EQ_U64(out.ata.lba, 0);
}

static void status_names(void) {
    CHECK(strcmp(aoe_parse_status_name(AOE_PARSE_OK), "ok") == 0);
    CHECK(strcmp(aoe_parse_status_name(AOE_PARSE_BAD_VERSION), "bad-version") == 0);
    for (int s = 0; s < AOE_PARSE_STATUS_COUNT; s++) CHECK(aoe_parse_status_name(s) != NULL);
    CHECK(strcmp(aoe_parse_status_name(AOE_PARSE_STATUS_COUNT), "invalid-status") == 0);
}

static void sectors_per_frame_from_mtu(void) {
    CHECK_EQ_U64(aoe_sectors_per_frame(1500), 2);
    CHECK_EQ_U64(aoe_sectors_per_frame(9000), 17);
    CHECK_EQ_U64(aoe_sectors_per_frame(548), 1);
    CHECK_EQ_U64(aoe_sectors_per_frame(547), 0);
    CHECK_EQ_U64(aoe_sectors_per_frame(0), 0);
}

static void tag_layout(void) {
    CHECK_EQ_U64(aoe_tag_make(0x1234, 0xABCD), 0x1234ABCD);
    CHECK_EQ_U64(aoe_tag_command_seq(0x1234ABCD), 0x1234);
    CHECK_EQ_U64(aoe_tag_packet_index(0x1234ABCD), 0xABCD);
    CHECK_EQ_U64(aoe_tag_make(0xFFFF, 0xFFFF), 0xFFFFFFFF);
}

int main(void) {
    TEST(ata_request_bytes_exact);
    TEST(query_config_bytes_exact);
    TEST(ata_round_trip_with_data);
    TEST(ata_build_refuses_small_buffer);
    TEST(ata_error_response_parses);
    TEST(config_response_parses);
    TEST(query_config_round_trip);
    TEST(every_rejection);
    TEST(rejection_clears_output);
    TEST(status_names);
    TEST(sectors_per_frame_from_mtu);
    TEST(tag_layout);
    return tap_finish();
}
