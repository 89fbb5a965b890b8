/* SPDX-License-Identifier: MIT */
/* Host unit tests of aoe-parallel's pure parts: the ATA command table (ata.c), the AoE target's
 * answers to good and bad frames (target.c), the merge planner (merge.c) and the copy-on-write
 * sector map (cow_map.c). Expected values come
 * from the ATA/AoE specifications and our vblade patches' What/Why headers, not from the code. */
#include <stdlib.h>

#include "aoe.h"
#include "ata.h"
#include "cow_map.h"
#include "merge.h"
#include "tap.h"
#include "target.h"

static const uint8_t SERVER[6] = { 0x02, 0, 0, 0, 0, 0x01 };
static const uint8_t CLIENT[6] = { 0x02, 0, 0, 0, 0, 0x02 };
static const uint8_t OTHER[6] = { 0x02, 0, 0, 0, 0, 0x03 };

#define SIZE 100000u
#define CAP 8192u

static aoe_target target;
static uint8_t frame[CAP];

static void setup(void) {
    target_init(&target, 1, 2, SERVER, 64);
    ata_drive_init(&target.drive, SIZE, 2, false, false, "1.2:host");
    memset(frame, 0, sizeof frame);
}

/* An ATA request from CLIENT to shelf 1 slot 2; returns its length. */
static size_t ata_frame(uint8_t cmd, uint8_t aflags, uint8_t count, uint64_t lba, size_t data) {
    static uint8_t payload[4096];
    aoe_ata_request r = { .shelf = 1,
                          .slot = 2,
                          .tag = 0x00070003,
                          .aflags = aflags,
                          .sector_count = count,
                          .command = cmd,
                          .lba = lba,
                          .data = data ? payload : NULL,
                          .data_len = data };
    memcpy(r.dst, SERVER, 6);
    memcpy(r.src, CLIENT, 6);
    return aoe_build_ata(frame, sizeof frame, &r);
}

static target_result receive(size_t len) { return target_receive(&target, frame, len, CAP, CAP - 36); }

static void identify_words_and_checksum(void) {
    setup();
    target_result r = receive(ata_frame(0xec, 0, 1, 0, 0));
    CHECK_EQ_U64(r.verdict, TARGET_ANSWER);
    CHECK_EQ_U64(r.answer_len, 36 + 512);
    const uint8_t *d = frame + 36;
    uint8_t sum = 0;
    for (int i = 0; i < 512; i++) sum = (uint8_t)(sum + d[i]);
    CHECK_EQ_U64(sum, 0);                                 /* word 255: the 512 bytes sum to zero */
    CHECK_EQ_U64(d[510], 0xa5);                           /* signature */
    CHECK_EQ_U64(d[0] | d[1] << 8, 0x0040);               /* fixed device */
    CHECK_EQ_U64(d[2 * 49 + 1] & 0x03, 0x03);             /* LBA and DMA */
    CHECK_EQ_U64(d[2 * 88] | d[2 * 88 + 1] << 8, 0x203f); /* UDMA 0-5, UDMA5 selected */
    CHECK_EQ_U64(d[120] | d[121] << 8 | d[122] << 16 | (uint32_t)d[123] << 24, SIZE); /* words 60-61 */
    CHECK_EQ_U64(d[200] | d[201] << 8 | d[202] << 16, SIZE);                          /* words 100-103 */
    CHECK(memcmp(d + 54, "bvaled", 6) == 0); /* model "vblade...", two characters per word, swapped */
    CHECK(memcmp(d + 20, ".1:2", 4) == 0);   /* serial "1.2:" */
    CHECK_EQ_U64(frame[14], 0x18);           /* version 1, response */
    CHECK_EQ_U64(frame[27], 0x40);           /* DRDY */
    CHECK(memcmp(frame, CLIENT, 6) == 0 && memcmp(frame + 6, SERVER, 6) == 0);
}

static void read_is_split_into_begin_and_complete(void) {
    setup();
    target_result r = receive(ata_frame(0x24, AOE_AFLAG_EXT, 2, 1000, 0));
    CHECK_EQ_U64(r.verdict, TARGET_IO);
    CHECK_EQ_U64(r.io.action, ATA_READ);
    CHECK_EQ_U64(r.io.lba, 1000);
    CHECK_EQ_U64(r.io.sectors, 2);
    target_finish_io(&target, frame, &r, 1024);
    CHECK_EQ_U64(r.answer_len, 36 + 1024);
    CHECK_EQ_U64(frame[27], 0x40);
    CHECK_EQ_U64(frame[26], 0); /* sector count left */
    CHECK_EQ_U64(r.regs.dir, 'r');
    CHECK_EQ_U64(r.regs.nbytes, 1024);
}

static void short_read_is_aborted_with_what_arrived(void) {
    setup();
    target_result r = receive(ata_frame(0x24, AOE_AFLAG_EXT, 2, 1000, 0));
    target_finish_io(&target, frame, &r, 512);
    CHECK_EQ_U64(frame[27], 0x41);
    CHECK_EQ_U64(frame[25], 0x04);
    CHECK_EQ_U64(frame[26], 1);
    CHECK_EQ_U64(r.answer_len, 36 + 512);
    target_result e = receive(ata_frame(0x24, AOE_AFLAG_EXT, 2, 1000, 0));
    target_finish_io(&target, frame, &e, -5);
    CHECK_EQ_U64(frame[27], 0x41);
    CHECK_EQ_U64(e.answer_len, 60);
}

static void bad_requests_get_vblade_answers(void) {
    setup();
    target_result r = receive(ata_frame(0x24, AOE_AFLAG_EXT | AOE_AFLAG_WRITE, 1, 0, 512)); /* W on a read */
    CHECK_EQ_U64(r.verdict, TARGET_ANSWER);
    CHECK_EQ_U64(frame[14], 0x1c); /* response + error */
    CHECK_EQ_U64(frame[15], AOE_ERR_BAD_ARGUMENT);
    CHECK_EQ_U64(r.aoe_error, AOE_ERR_BAD_ARGUMENT);
    r = receive(ata_frame(0x24, AOE_AFLAG_EXT, 3, 0, 0)); /* more than a frame holds */
    CHECK_EQ_U64(frame[15], AOE_ERR_BAD_ARGUMENT);
    r = receive(ata_frame(0x34, AOE_AFLAG_EXT | AOE_AFLAG_WRITE, 2, 0, 512)); /* data short */
    CHECK_EQ_U64(frame[15], AOE_ERR_BAD_ARGUMENT);
    r = receive(ata_frame(0x24, AOE_AFLAG_EXT, 2, SIZE - 1, 0)); /* past the end: ATA IDNF, LBA echoed */
    CHECK_EQ_U64(r.verdict, TARGET_ANSWER);
    CHECK_EQ_U64(frame[27], 0x41);
    CHECK_EQ_U64(frame[25], 0x10);
    CHECK_EQ_U64(frame[28] | frame[29] << 8 | frame[30] << 16, SIZE - 1);
    r = receive(ata_frame(0xc4, 0, 1, 0, 0)); /* READ MULTIPLE before SET MULTIPLE MODE */
    CHECK_EQ_U64(frame[27], 0x41);
    CHECK_EQ_U64(frame[25], 0x04);
    r = receive(ata_frame(0xb0, 0, 0, 0, 0)); /* SMART: not supported */
    CHECK_EQ_U64(frame[25], 0x04);
}

static void read_only_aborts_writes(void) {
    setup();
    target.drive.readonly = true;
    target_result r = receive(ata_frame(0x34, AOE_AFLAG_EXT | AOE_AFLAG_WRITE, 1, 0, 512));
    CHECK_EQ_U64(r.verdict, TARGET_ANSWER);
    CHECK_EQ_U64(frame[27], 0x41);
    CHECK_EQ_U64(frame[25], 0x04);
}

static void malformed_frames(void) {
    setup();
    size_t len = ata_frame(0x24, AOE_AFLAG_EXT, 1, 0, 0);
    CHECK_EQ_U64(receive(35).verdict, TARGET_DROP); /* ATA argument cut short: silent */
    CHECK_EQ_U64(receive(23).verdict, TARGET_DROP);
    frame[14] = 0x20; /* version 2 */
    target_result r = receive(len);
    CHECK_EQ_U64(r.verdict, TARGET_ANSWER);
    CHECK_EQ_U64(r.answer_len, 60);
    CHECK_EQ_U64(frame[14], 0x1c);
    CHECK_EQ_U64(frame[15], AOE_ERR_UNSUPPORTED_VERSION);
    CHECK(!r.is_ata);
    len = ata_frame(0x24, AOE_AFLAG_EXT, 1, 0, 0);
    frame[19] = 9; /* unknown AoE command: echoed with error 1 */
    r = receive(len);
    CHECK_EQ_U64(r.answer_len, len);
    CHECK_EQ_U64(frame[15], AOE_ERR_UNRECOGNIZED_COMMAND);
    len = ata_frame(0x24, AOE_AFLAG_EXT, 1, 0, 0);
    frame[18] = 7; /* another slot */
    CHECK_EQ_U64(receive(len).verdict, TARGET_DROP);
    len = ata_frame(0x24, AOE_AFLAG_EXT, 1, 0, 0);
    frame[14] |= AOE_FLAG_RESPONSE; /* a response, not a request */
    CHECK_EQ_U64(receive(len).verdict, TARGET_DROP);
    len = ata_frame(0x24, AOE_AFLAG_EXT, 1, 0, 0);
    frame[16] = frame[17] = 0xff; /* any shelf, any slot */
    frame[18] = 0xff;
    CHECK_EQ_U64(receive(len).verdict, TARGET_IO);
}

static size_t config_frame(uint8_t ccmd, const char *s) {
    size_t len = aoe_build_query_config(frame, sizeof frame, CLIENT, SERVER, 1, 2, 5);
    frame[29] = (uint8_t)(0x10 | ccmd);
    size_t n = strlen(s);
    frame[30] = (uint8_t)(n >> 8);
    frame[31] = (uint8_t)n;
    memcpy(frame + 32, s, n);
    return 32 + n > len ? 32 + n : len;
}

static void query_config(void) {
    setup();
    target_result r = receive(config_frame(AOE_CCMD_READ, ""));
    CHECK_EQ_U64(r.verdict, TARGET_ANSWER);
    CHECK_EQ_U64(r.answer_len, 32);
    CHECK_EQ_U64(frame[24] << 8 | frame[25], 64); /* buffer count = concurrency */
    CHECK_EQ_U64(frame[28], 2);                   /* sectors per frame */
    CHECK_EQ_U64(receive(config_frame(AOE_CCMD_SET, "abc")).answer_len, 35);
    r = receive(config_frame(AOE_CCMD_SET, "xyz")); /* another string already set */
    CHECK_EQ_U64(frame[15], AOE_ERR_CONFIG_STRING_PRESENT);
    CHECK(memcmp(frame + 32, "abc", 3) == 0);
    CHECK_EQ_U64(receive(config_frame(AOE_CCMD_TEST, "ab")).verdict, TARGET_DROP);
    CHECK_EQ_U64(receive(config_frame(AOE_CCMD_TEST_PREFIX, "ab")).verdict, TARGET_ANSWER);
    size_t len = config_frame(AOE_CCMD_TEST, "abc");
    frame[30] = 0x7f; /* string length beyond the frame: silent, except for a read */
    CHECK_EQ_U64(receive(len).verdict, TARGET_DROP);
    len = config_frame(AOE_CCMD_READ, "");
    frame[30] = 0x7f;
    CHECK_EQ_U64(receive(len).verdict, TARGET_ANSWER);
}

static void reserve_and_mask(void) {
    setup();
    /* force-set a reservation for OTHER: CLIENT's reads are refused (error 6), IDENTIFY is not */
    size_t len = aoe_build_query_config(frame, sizeof frame, CLIENT, SERVER, 1, 2, 5);
    frame[19] = AOE_CMD_RESERVE;
    frame[24] = 2;
    frame[25] = 1;
    memcpy(frame + 26, OTHER, 6);
    target_result r = receive(len);
    CHECK_EQ_U64(r.answer_len, 32);
    CHECK_EQ_U64(target.nreserve, 1);
    r = receive(ata_frame(0x24, AOE_AFLAG_EXT, 1, 0, 0));
    CHECK_EQ_U64(frame[15], AOE_ERR_TARGET_RESERVED);
    CHECK(r.is_ata);
    CHECK_EQ_U64(receive(ata_frame(0xec, 0, 1, 0, 0)).answer_len, 36 + 512);
    /* a mask list without CLIENT: its frames are not answered at all */
    setup();
    CHECK(target_add_mask(&target, OTHER));
    CHECK_EQ_U64(receive(ata_frame(0xec, 0, 1, 0, 0)).verdict, TARGET_DROP);
    CHECK(target_add_mask(&target, CLIENT));
    len = aoe_build_query_config(frame, sizeof frame, CLIENT, SERVER, 1, 2, 5);
    frame[19] = AOE_CMD_MAC_MASK;
    frame[25] = 0; /* read the list */
    r = receive(len);
    CHECK_EQ_U64(r.answer_len, 28 + 16);
    CHECK_EQ_U64(frame[27], 2);
    CHECK(memcmp(frame + 30, OTHER, 6) == 0 && memcmp(frame + 38, CLIENT, 6) == 0);
}

static void power_and_multiple_mode(void) {
    setup();
    receive(ata_frame(0xe0, 0, 0, 0, 0)); /* STANDBY IMMEDIATE */
    receive(ata_frame(0xe5, 0, 0, 0, 0));
    CHECK_EQ_U64(frame[26], 0x00);
    target_result r = receive(ata_frame(0x24, AOE_AFLAG_EXT, 1, 0, 0)); /* media access wakes */
    target_finish_io(&target, frame, &r, 512);
    receive(ata_frame(0xe5, 0, 0, 0, 0));
    CHECK_EQ_U64(frame[26], 0xff);
    receive(ata_frame(0xc6, 0, 3, 0, 0));
    CHECK_EQ_U64(frame[27], 0x41); /* not a power of two */
    receive(ata_frame(0xc6, 0, 8, 0, 0));
    CHECK_EQ_U64(frame[27], 0x40);
    CHECK_EQ_U64(receive(ata_frame(0xc4, 0, 1, 0, 0)).verdict, TARGET_IO);
}

static void set_features_transfer_mode(void) {
    setup();
    size_t len = ata_frame(0xef, 0, 0x22, 0, 0);
    frame[25] = 0x03; /* feature: set transfer mode, MWDMA2 */
    receive(len);
    CHECK_EQ_U64(frame[27], 0x40);
    CHECK_EQ_U64(target.drive.dmamode, 0x22);
    len = ata_frame(0xef, 0, 0x46, 0, 0);
    frame[25] = 0x03; /* UDMA6: aborted, mode kept */
    receive(len);
    CHECK_EQ_U64(frame[27], 0x41);
    CHECK_EQ_U64(target.drive.dmamode, 0x22);
}

static void verify_and_flush(void) {
    setup();
    target_result r = receive(ata_frame(0x40, 0, 200, 8, 0));
    CHECK_EQ_U64(r.io.action, ATA_VERIFY);
    CHECK_EQ_U64(r.io.sectors, 200);
    target_finish_io(&target, frame, &r, 200 * 512);
    CHECK_EQ_U64(r.answer_len, 60);
    CHECK_EQ_U64(frame[27], 0x40);
    r = receive(ata_frame(0xe7, 0, 0, 0, 0));
    CHECK_EQ_U64(r.verdict, TARGET_ANSWER); /* acknowledged without -f */
    CHECK_EQ_U64(r.regs.dir, 'f');
    target.drive.syncflush = true;
    r = receive(ata_frame(0xea, AOE_AFLAG_EXT, 0, 0, 0));
    CHECK_EQ_U64(r.io.action, ATA_FLUSH);
}

static size_t plan(const merge_item *items, size_t n, size_t max_items, size_t *order, merge_run *runs) {
    return merge_plan(items, n, max_items, 2048, order, runs);
}

static void merge_adjacent_reads(void) {
    merge_item items[64];
    size_t order[64];
    merge_run runs[64];
    for (unsigned i = 0; i < 64; i++) items[i] = (merge_item){ .lba = 1000 + 2 * i, .sectors = 2 };
    CHECK_EQ_U64(plan(items, 64, 64, order, runs), 1);
    CHECK_EQ_U64(runs[0].count, 64);
    CHECK_EQ_U64(plan(items, 64, 16, order, runs), 4); /* at most 16 per submission */
}

static void merge_sorts_and_splits(void) {
    merge_item items[] = {
        { 0, false, 104, 2 }, { 0, false, 100, 2 }, { 0, false, 102, 2 }, /* out of order: one run 100..105 */
        { 0, true, 106, 2 },                                              /* a write: its own run */
        { 0, false, 108, 2 },                                             /* gap after 105: new run */
        { 0, false, 108, 2 },                                             /* same sectors again: not merged */
    };
    size_t order[6];
    merge_run runs[6];
    size_t n = plan(items, 6, 64, order, runs);
    CHECK_EQ_U64(n, 4);
    CHECK_EQ_U64(runs[0].count, 3);
    CHECK_EQ_U64(order[0], 1);
    CHECK_EQ_U64(order[1], 2);
    CHECK_EQ_U64(order[2], 0);
    CHECK_EQ_U64(runs[1].count, 1);
    CHECK_EQ_U64(runs[2].count, 1);
    CHECK_EQ_U64(items[order[runs[3].first]].write, 1);
}

/* Two clients' adjacent reads, one from the image and one from an overlay, are different files. */
static void merge_keeps_files_apart(void) {
    merge_item items[] = { { 2, false, 100, 2 }, { 0, false, 102, 2 }, { 0, false, 100, 2 }, { 2, false, 102, 2 } };
    size_t order[4];
    merge_run runs[4];
    CHECK_EQ_U64(plan(items, 4, 64, order, runs), 2);
    CHECK_EQ_U64(runs[0].count, 2);
    CHECK_EQ_U64(items[order[0]].file, 0);
    CHECK_EQ_U64(items[order[0]].lba, 100);
    CHECK_EQ_U64(runs[1].count, 2);
    CHECK_EQ_U64(items[order[runs[1].first]].file, 2);
}

static void cow_map_runs(void) {
    uint8_t map[16] = { 0 };
    cow_run runs[32];
    CHECK_EQ_U64(cow_map_bytes(1), 1);
    CHECK_EQ_U64(cow_map_bytes(8), 1);
    CHECK_EQ_U64(cow_map_bytes(9), 2);
    CHECK_EQ_U64(cow_runs(map, 5, 20, runs), 1); /* nothing written: one run from the base */
    CHECK_EQ_U64(runs[0].overlay, 0);
    CHECK_EQ_U64(runs[0].lba, 5);
    CHECK_EQ_U64(runs[0].sectors, 20);
    cow_mark(map, 7, 3);  /* 7, 8, 9: across a byte boundary */
    cow_mark(map, 15, 1); /* the last bit of byte 1 */
    CHECK_EQ_U64(map[0], 0x80);
    CHECK_EQ_U64(map[1], 0x83);
    CHECK(!cow_in_overlay(map, 6) && cow_in_overlay(map, 7) && cow_in_overlay(map, 9) && !cow_in_overlay(map, 10));
    size_t n = cow_runs(map, 5, 12, runs); /* 5..16: base 5-6, overlay 7-9, base 10-14, overlay 15, base 16 */
    CHECK_EQ_U64(n, 5);
    CHECK_EQ_U64(runs[0].lba, 5);
    CHECK_EQ_U64(runs[0].sectors, 2);
    CHECK_EQ_U64(runs[1].overlay, 1);
    CHECK_EQ_U64(runs[1].lba, 7);
    CHECK_EQ_U64(runs[1].sectors, 3);
    CHECK_EQ_U64(runs[2].overlay, 0);
    CHECK_EQ_U64(runs[2].sectors, 5);
    CHECK_EQ_U64(runs[3].lba, 15);
    CHECK_EQ_U64(runs[3].sectors, 1);
    CHECK_EQ_U64(runs[4].lba, 16);
    CHECK_EQ_U64(runs[4].overlay, 0);
    CHECK_EQ_U64(cow_runs(map, 7, 3, runs), 1); /* all in the overlay */
    CHECK_EQ_U64(runs[0].overlay, 1);
    CHECK_EQ_U64(cow_runs(map, 0, 0, runs), 0);
}

int main(void) {
    TEST(identify_words_and_checksum);
    TEST(read_is_split_into_begin_and_complete);
    TEST(short_read_is_aborted_with_what_arrived);
    TEST(bad_requests_get_vblade_answers);
    TEST(read_only_aborts_writes);
    TEST(malformed_frames);
    TEST(query_config);
    TEST(reserve_and_mask);
    TEST(power_and_multiple_mode);
    TEST(set_features_transfer_mode);
    TEST(verify_and_flush);
    TEST(merge_adjacent_reads);
    TEST(merge_sorts_and_splits);
    TEST(merge_keeps_files_apart);
    TEST(cow_map_runs);
    return tap_finish();
}
