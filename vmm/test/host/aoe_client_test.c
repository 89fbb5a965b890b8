/* SPDX-License-Identifier: MIT */
/* The AoE initiator core against a fake target over a fake wire: the test owns the clock and
 * decides which frames arrive, twice, late or never. */
#include "tap.h"
#include "aoe/aoe_client.h"

#include <stdlib.h>

#define DISK_SECTORS 1024
#define FRAME_CAP 9100
#define QUEUE_MAX 256

static const uint8_t client_mac[6] = { 0x52, 0x54, 0, 0, 0, 1 };
static const uint8_t target_mac[6] = { 0x52, 0x54, 0, 0, 0, 2 };
static const uint8_t other_mac[6] = { 0x52, 0x54, 0, 0, 0, 3 };

static struct aoe_client client;
static uint8_t disk[DISK_SECTORS * 512];
static uint8_t buffer[300 * 512];
static uint64_t now;

struct frame {
    size_t len;
    uint8_t bytes[FRAME_CAP];
};
static struct frame sent[QUEUE_MAX]; /* client -> wire, in order */
static unsigned sent_count;

/* Collects every frame the client has due now. */
static unsigned drain(void) {
    unsigned n = 0;
    size_t len;
    while (sent_count < QUEUE_MAX && (len = aoe_client_next_frame(&client, now, sent[sent_count].bytes, FRAME_CAP))) {
        sent[sent_count++].len = len;
        n++;
    }
    return n;
}

static aoe_frame parsed(unsigned i) {
    aoe_frame f;
    CHECK(aoe_parse(sent[i].bytes, sent[i].len, &f) == AOE_PARSE_OK);
    return f;
}

/* The fake target's answer to request i: what vblade would send (status DRDY, read data). */
static size_t answer(unsigned i, uint8_t *out, uint8_t status, uint8_t error) {
    aoe_frame req = parsed(i);
    size_t bytes = (size_t)req.ata.sector_count * 512;
    bool write = req.ata.aflags & AOE_AFLAG_WRITE;
    bool read = (req.ata.cmd_status == 0x20 || req.ata.cmd_status == 0x24) && status == 0x40;
    if (write && status == 0x40) memcpy(disk + req.ata.lba * 512, req.ata.data, bytes);
    aoe_ata_request r = {
        .shelf = req.hdr.shelf,
        .slot = req.hdr.slot,
        .tag = req.hdr.tag,
        .aflags = req.ata.aflags,
        .feature = error,
        .sector_count = req.ata.sector_count,
        .command = status,
        .lba = req.ata.lba,
        .data = read ? disk + req.ata.lba * 512 : NULL,
        .data_len = read ? bytes : 0,
    };
    memcpy(r.dst, client_mac, 6);
    memcpy(r.src, target_mac, 6);
    size_t len = aoe_build_ata(out, FRAME_CAP, &r);
    out[14] |= AOE_FLAG_RESPONSE;
    return len;
}

static void deliver(unsigned i) {
    static uint8_t out[FRAME_CAP];
    size_t len = answer(i, out, 0x40, 0);
    aoe_client_receive(&client, out, len, now);
}

static void config_answer(const uint8_t mac[6], uint16_t shelf, uint8_t slot, uint16_t buffers, uint8_t spf) {
    uint8_t f[64];
    size_t len = aoe_build_query_config(f, sizeof f, mac, client_mac, shelf, slot, 0);
    f[14] |= AOE_FLAG_RESPONSE;
    f[24] = (uint8_t)(buffers >> 8);
    f[25] = (uint8_t)buffers;
    f[28] = spf;
    aoe_client_receive(&client, f, len, now);
}

/* A client that has discovered e1.1 with the given MTU, buffer count and target sectors per frame. */
static void setup(unsigned mtu, uint16_t buffers, uint8_t target_spf) {
    aoe_client_init(&client, client_mac, mtu, AOE_SHELF_ANY, AOE_SLOT_ANY);
    now = 1000;
    sent_count = 0;
    CHECK_EQ_U64(drain(), 1); /* the Query Config broadcast */
    config_answer(target_mac, 1, 1, buffers, target_spf);
    CHECK(client.target.found);
    sent_count = 0;
    for (unsigned i = 0; i < sizeof disk; i++) disk[i] = (uint8_t)(i * 7 + i / 512);
    memset(buffer, 0, sizeof buffer);
}

static struct aoe_ata_command read_cmd(uint64_t lba, uint32_t sectors) {
    return (struct aoe_ata_command){ .opcode = 0x24, .sectors = sectors, .lba = lba, .lba48 = true, .data = buffer };
}

/* ---- discovery ---- */

static void discovery_broadcasts_and_rebroadcasts(void) {
    aoe_client_init(&client, client_mac, 1500, 3, 7);
    now = 0;
    sent_count = 0;
    CHECK_EQ_U64(drain(), 1);
    aoe_frame f = parsed(0);
    CHECK(f.hdr.command == AOE_CMD_QUERY_CONFIG);
    CHECK(!memcmp(f.hdr.dst, "\xff\xff\xff\xff\xff\xff", 6));
    CHECK_EQ_U64(f.hdr.shelf, 3);
    CHECK_EQ_U64(f.hdr.slot, 7);
    now = AOE_DISCOVERY_INTERVAL_US - 1;
    CHECK_EQ_U64(drain(), 0);
    now = AOE_DISCOVERY_INTERVAL_US;
    CHECK_EQ_U64(drain(), 1);
}

static void discovery_takes_the_configured_target(void) {
    aoe_client_init(&client, client_mac, 1500, 3, 7);
    config_answer(other_mac, 3, 8, 16, 2); /* another slot on the same wire */
    CHECK(!client.target.found);
    config_answer(target_mac, 3, 7, 16, 2);
    CHECK(client.target.found);
    CHECK(!memcmp(client.target.mac, target_mac, 6));
    config_answer(other_mac, 3, 7, 16, 2); /* a second answer does not replace it */
    CHECK(!memcmp(client.target.mac, target_mac, 6));
}

static void discovery_auto_takes_the_first(void) {
    aoe_client_init(&client, client_mac, 1500, AOE_SHELF_ANY, AOE_SLOT_ANY);
    config_answer(other_mac, 9, 2, 8, 2);
    CHECK(client.target.found);
    CHECK_EQ_U64(client.target.shelf, 9);
    CHECK_EQ_U64(client.target.slot, 2);
    CHECK_EQ_U64(client.target.buffer_count, 8);
    CHECK_EQ_U64(client.target.window, 8);
}

static void sectors_per_frame_is_the_smaller_of_both_sides(void) {
    setup(1500, 16, 17);
    CHECK_EQ_U64(client.target.sectors_per_frame, 2);
    setup(9000, 16, 17);
    CHECK_EQ_U64(client.target.sectors_per_frame, 17);
    setup(9000, 16, 2); /* a target on a 1500-byte wire */
    CHECK_EQ_U64(client.target.sectors_per_frame, 2);
    setup(9000, 200, 17);
    CHECK_EQ_U64(client.target.window, AOE_MAX_WINDOW);
}

/* ---- commands ---- */

static void fragmentation_covers_every_sector_once(void) {
    static const unsigned counts[] = { 1, 2, 3, 17, 256 };
    static const unsigned spfs[] = { 2, 17 };
    for (unsigned s = 0; s < 2; s++) {
        for (unsigned c = 0; c < 5; c++) {
            setup(spfs[s] == 2 ? 1500 : 9000, 64, 17);
            struct aoe_ata_command cmd = read_cmd(100, counts[c]);
            CHECK(aoe_client_start(&client, &cmd, now));
            unsigned expected = (counts[c] + spfs[s] - 1) / spfs[s];
            /* Answer as they come so the window never limits this count. */
            unsigned total = 0;
            for (unsigned round = 0; round < 20 && client.busy; round++) {
                unsigned from = sent_count;
                drain();
                for (unsigned i = from; i < sent_count; i++) deliver(i);
            }
            total = sent_count;
            CHECK_EQ_U64(total, expected);
            uint64_t lba = 100;
            for (unsigned i = 0; i < total; i++) {
                aoe_frame f = parsed(i);
                unsigned n = i + 1 < total ? spfs[s] : counts[c] - (total - 1) * spfs[s];
                CHECK_EQ_U64(f.ata.sector_count, n);
                CHECK_EQ_U64(f.ata.lba, lba);
                CHECK(f.ata.aflags & AOE_AFLAG_EXT);
                lba += n;
            }
            CHECK(!client.busy);
            CHECK(!memcmp(buffer, disk + 100 * 512, counts[c] * 512));
        }
    }
}

static void tags_carry_sequence_and_index(void) {
    setup(1500, 16, 2);
    struct aoe_ata_command cmd = read_cmd(0, 6);
    CHECK(aoe_client_start(&client, &cmd, now));
    drain();
    uint16_t seq = aoe_tag_command_seq(parsed(0).hdr.tag);
    for (unsigned i = 0; i < 3; i++) CHECK_EQ_U64(parsed(i).hdr.tag, aoe_tag_make(seq, (uint16_t)i));
    for (unsigned i = 0; i < 3; i++) deliver(i);
    CHECK(aoe_client_start(&client, &cmd, now));
    drain();
    CHECK_EQ_U64(parsed(3).hdr.tag, aoe_tag_make((uint16_t)(seq + 1), 0));
}

static void window_limits_requests_in_flight(void) {
    setup(1500, 4, 2);
    struct aoe_ata_command cmd = read_cmd(0, 20); /* 10 requests */
    CHECK(aoe_client_start(&client, &cmd, now));
    CHECK_EQ_U64(drain(), 4);
    CHECK_EQ_U64(drain(), 0);
    deliver(1);
    CHECK_EQ_U64(drain(), 1);
    CHECK_EQ_U64(aoe_tag_packet_index(parsed(4).hdr.tag), 4);
}

static void read_reassembles_reordered_responses(void) {
    setup(1500, 16, 2);
    struct aoe_ata_command cmd = read_cmd(40, 7);
    CHECK(aoe_client_start(&client, &cmd, now));
    CHECK_EQ_U64(drain(), 4);
    deliver(3);
    deliver(0);
    deliver(2);
    CHECK(client.busy); /* complete only when every response arrived */
    deliver(1);
    CHECK(!client.busy);
    CHECK(client.result.kind == AOE_RESULT_OK);
    CHECK(!memcmp(buffer, disk + 40 * 512, 7 * 512));
    CHECK_EQ_U64(client.stats.bytes_read, 7 * 512);
}

static void write_slices_the_payload(void) {
    setup(1500, 16, 2);
    for (unsigned i = 0; i < 5 * 512; i++) buffer[i] = (uint8_t)(0xA5 ^ i);
    struct aoe_ata_command cmd = {
        .opcode = 0x34, .sectors = 5, .lba = 9, .lba48 = true, .write = true, .data = buffer
    };
    CHECK(aoe_client_start(&client, &cmd, now));
    CHECK_EQ_U64(drain(), 3);
    for (unsigned i = 0; i < 3; i++) {
        aoe_frame f = parsed(i);
        CHECK(f.ata.aflags & AOE_AFLAG_WRITE);
        CHECK_EQ_U64(f.ata.cmd_status, 0x34);
        CHECK_EQ_U64(f.ata.lba, 9 + 2 * i);
        CHECK(!memcmp(f.ata.data, buffer + i * 1024, f.ata.sector_count * 512));
    }
    for (unsigned i = 0; i < 3; i++) deliver(i);
    CHECK(!client.busy);
    CHECK(!memcmp(disk + 9 * 512, buffer, 5 * 512));
    CHECK_EQ_U64(client.stats.bytes_written, 5 * 512);
    CHECK_EQ_U64(client.stats.data_commands[1].count, 1);
    CHECK_EQ_U64(client.stats.data_commands[1].sectors, 5);
    CHECK_EQ_U64(client.stats.data_commands[0].count, 0);
}

static void lost_request_is_retransmitted_with_backoff(void) {
    setup(1500, 16, 2);
    struct aoe_ata_command cmd = read_cmd(0, 4);
    CHECK(aoe_client_start(&client, &cmd, now));
    uint64_t start = now;
    CHECK_EQ_U64(drain(), 2);
    deliver(1); /* request 0 is lost */
    now = start + AOE_RTO_INITIAL_US - 1;
    CHECK_EQ_U64(drain(), 0);
    now = start + AOE_RTO_INITIAL_US;
    CHECK_EQ_U64(drain(), 1);
    CHECK_EQ_U64(parsed(2).hdr.tag, parsed(0).hdr.tag); /* same tag: the paper's has no generation */
    /* The retry is lost too: the next one comes after twice the timeout. The RTO now reflects
     * request 1's sample (answered at once), so compute from the estimator. */
    uint64_t second = now;
    now = second + aoe_rto_backoff(&client.rto, 1) - 1;
    CHECK_EQ_U64(drain(), 0);
    now = second + aoe_rto_backoff(&client.rto, 1);
    CHECK_EQ_U64(drain(), 1);
    CHECK_EQ_U64(client.stats.retransmits, 2);
    deliver(3);
    CHECK(!client.busy);
    CHECK(!memcmp(buffer, disk, 4 * 512));
    /* Karn: the retransmitted request gave no RTT sample; request 1 gave one. */
    CHECK_EQ_U64(client.stats.rtt[0][0].count, 0);
    CHECK_EQ_U64(client.stats.rtt[0][1].count, 1);
    /* The whole command counts from its start to the last answer, retransmissions included. */
    CHECK_EQ_U64(client.stats.data_commands[0].count, 1);
    CHECK_EQ_U64(client.stats.data_commands[0].sectors, 4);
    CHECK_EQ_U64(client.stats.data_commands[0].sum_us, now - start);
    CHECK_EQ_U64(client.stats.data_commands[1].count, 0);
}

static void late_original_after_retry_is_a_duplicate(void) {
    setup(1500, 16, 2);
    struct aoe_ata_command cmd = read_cmd(0, 2);
    CHECK(aoe_client_start(&client, &cmd, now));
    drain();
    now += AOE_RTO_INITIAL_US;
    CHECK_EQ_U64(drain(), 1);
    deliver(0); /* the original's answer, late */
    CHECK(!client.busy);
    deliver(1); /* the retry's answer */
    CHECK_EQ_U64(client.stats.duplicates, 1);
}

static void duplicate_response_is_dropped(void) {
    setup(1500, 16, 2);
    struct aoe_ata_command cmd = read_cmd(0, 4);
    CHECK(aoe_client_start(&client, &cmd, now));
    drain();
    deliver(0);
    memset(disk, 0xEE, 1024); /* a duplicate must not overwrite what arrived */
    deliver(0);
    CHECK_EQ_U64(client.stats.duplicates, 1);
    CHECK(client.busy);
    CHECK_EQ_U64(buffer[0], (uint8_t)0); /* from the first copy, before the disk changed */
    deliver(1);
    CHECK(!client.busy);
}

static void stale_response_of_previous_command_is_dropped(void) {
    setup(1500, 16, 2);
    struct aoe_ata_command cmd = read_cmd(0, 2);
    CHECK(aoe_client_start(&client, &cmd, now));
    drain();
    now += AOE_RTO_INITIAL_US;
    drain(); /* request retransmitted: two answers will come */
    deliver(1);
    CHECK(!client.busy);
    cmd = read_cmd(50, 2);
    CHECK(aoe_client_start(&client, &cmd, now));
    drain();
    deliver(0); /* the first command's late answer, same packet index 0 */
    CHECK_EQ_U64(client.stats.stale, 1);
    CHECK(client.busy);
    deliver(2);
    CHECK(!client.busy);
    CHECK(!memcmp(buffer, disk + 50 * 512, 1024));
}

static void foreign_responses_are_ignored(void) {
    setup(1500, 16, 2);
    struct aoe_ata_command cmd = read_cmd(0, 2);
    CHECK(aoe_client_start(&client, &cmd, now));
    drain();
    static uint8_t out[FRAME_CAP];
    size_t len = answer(0, out, 0x40, 0);
    memcpy(out + 6, other_mac, 6);
    aoe_client_receive(&client, out, len, now);
    CHECK(client.busy);
    CHECK_EQ_U64(client.stats.ignored, 1);
    out[18] = 9; /* right MAC, wrong slot */
    memcpy(out + 6, target_mac, 6);
    aoe_client_receive(&client, out, len, now);
    CHECK(client.busy);
    aoe_client_receive(&client, sent[0].bytes, sent[0].len, now); /* our own request echoed */
    CHECK(client.busy);
}

/* Request 0 of a 4-sector read at LBA 8, sent and awaiting its answer (built in out). */
static size_t pending_read_answer(uint8_t *out) {
    setup(1500, 16, 2);
    struct aoe_ata_command cmd = read_cmd(8, 4);
    CHECK(aoe_client_start(&client, &cmd, now));
    drain();
    return answer(0, out, 0x40, 0);
}

static void expect_dropped_as_mismatch(const uint8_t *frame, size_t len) {
    uint64_t before = client.stats.mismatched;
    aoe_client_receive(&client, frame, len, now);
    CHECK_EQ_U64(client.stats.mismatched, before + 1);
    CHECK_EQ_U64(client.answered, 0);
    CHECK_EQ_U64(buffer[0], 0); /* nothing copied */
}

static void answers_must_match_their_request(void) {
    static uint8_t out[FRAME_CAP];
    size_t len = pending_read_answer(out);
    out[AOE_HDR_LEN + 4] ^= 0x40; /* another LBA, same tag: 0x48 instead of 8 */
    expect_dropped_as_mismatch(out, len);

    len = pending_read_answer(out);
    memset(out, 0xFF, 6); /* broadcast instead of to us */
    expect_dropped_as_mismatch(out, len);
    len = pending_read_answer(out);
    memcpy(out, other_mac, 6); /* to another station */
    expect_dropped_as_mismatch(out, len);

    len = pending_read_answer(out);
    out[AOE_HDR_LEN] |= AOE_AFLAG_WRITE; /* the answer to a write */
    expect_dropped_as_mismatch(out, len);
    len = pending_read_answer(out);
    out[AOE_HDR_LEN] &= (uint8_t)~AOE_AFLAG_EXT; /* LBA28 answer to an LBA48 request */
    expect_dropped_as_mismatch(out, len);

    len = pending_read_answer(out);
    out[AOE_HDR_LEN + 2] = 1; /* one sector of the two asked for */
    expect_dropped_as_mismatch(out, len);
    len = pending_read_answer(out);
    expect_dropped_as_mismatch(out, AOE_ATA_HDR_LEN + 512); /* truncated: half the data */

    /* The genuine answer still completes the request afterwards, with vblade's count of 0. */
    len = pending_read_answer(out);
    out[AOE_HDR_LEN + 2] = 0;
    aoe_client_receive(&client, out, len, now);
    CHECK_EQ_U64(client.answered, 1);
    CHECK_EQ_U64(client.stats.mismatched, 0);
    CHECK(!memcmp(buffer, disk + 8 * 512, 1024));
}

static void lba28_answers_are_compared_in_28_bits(void) {
    setup(1500, 16, 2);
    struct aoe_ata_command cmd = { .opcode = 0x20, .sectors = 2, .lba = 0x123, .data = buffer };
    CHECK(aoe_client_start(&client, &cmd, now));
    drain();
    static uint8_t out[FRAME_CAP];
    size_t len = answer(0, out, 0x40, 0);
    out[AOE_HDR_LEN + 4 + 3] |= 0xE0; /* device-register bits above LBA 27 do not count */
    aoe_client_receive(&client, out, len, now);
    CHECK(!client.busy);
    CHECK_EQ_U64(client.stats.mismatched, 0);
}

static void failed_answer_may_point_at_the_failing_sector(void) {
    static uint8_t out[FRAME_CAP];
    setup(1500, 16, 2);
    struct aoe_ata_command cmd = read_cmd(8, 2);
    CHECK(aoe_client_start(&client, &cmd, now));
    drain();
    size_t len = answer(0, out, 0x51, 0x40); /* UNC at another LBA: still the answer */
    out[AOE_HDR_LEN + 4] = 9;
    aoe_client_receive(&client, out, len, now);
    CHECK(!client.busy);
    CHECK(client.result.kind == AOE_RESULT_ATA_ERROR);
    CHECK_EQ_U64(client.result.lba, 9);
}

static void second_target_for_the_same_slot_is_refused(void) {
    setup(1500, 16, 2); /* e1.1 pinned at target_mac */
    uint8_t mac[6];
    CHECK(!aoe_client_take_conflict(&client, mac));
    config_answer(other_mac, 2, 1, 16, 2); /* another shelf: another disk, no conflict */
    CHECK_EQ_U64(client.stats.conflicts, 0);
    config_answer(target_mac, 1, 1, 16, 2); /* the pinned target again (e.g. restarted) */
    CHECK_EQ_U64(client.stats.conflicts, 0);
    config_answer(other_mac, 1, 1, 64, 17);
    config_answer(other_mac, 1, 1, 64, 17);
    CHECK_EQ_U64(client.stats.conflicts, 2);
    CHECK(!memcmp(client.target.mac, target_mac, 6));
    CHECK_EQ_U64(client.target.window, 16);
    CHECK(aoe_client_take_conflict(&client, mac));
    CHECK(!memcmp(mac, other_mac, 6));
    CHECK(!aoe_client_take_conflict(&client, mac)); /* reported once; its answers are a foreign MAC's (ignored) */
}

static void config_answers_for_other_stations_are_not_taken(void) {
    aoe_client_init(&client, client_mac, 1500, AOE_SHELF_ANY, AOE_SLOT_ANY);
    uint8_t f[64];
    size_t len = aoe_build_query_config(f, sizeof f, target_mac, other_mac, 1, 1, 0);
    f[14] |= AOE_FLAG_RESPONSE;
    f[25] = 16;
    f[28] = 2;
    aoe_client_receive(&client, f, len, 0);
    CHECK(!client.target.found);
    memset(f, 0xFF, 6); /* a target's broadcast announcement is taken */
    aoe_client_receive(&client, f, len, 0);
    CHECK(client.target.found);
}

static void ata_error_is_returned(void) {
    setup(1500, 16, 2);
    struct aoe_ata_command cmd = read_cmd(0, 4);
    CHECK(aoe_client_start(&client, &cmd, now));
    drain();
    static uint8_t out[FRAME_CAP];
    size_t len = answer(1, out, 0x51, 0x10); /* DRDY|DSC|ERR, IDNF */
    aoe_client_receive(&client, out, len, now);
    CHECK(client.busy);
    deliver(0);
    CHECK(!client.busy);
    CHECK(client.result.kind == AOE_RESULT_ATA_ERROR);
    CHECK_EQ_U64(client.result.status, 0x51);
    CHECK_EQ_U64(client.result.error, 0x10);
    CHECK_EQ_U64(client.result.lba, 2); /* the failing response's task file */
    CHECK_EQ_U64(client.result.count_register, 2);
    CHECK_EQ_U64(client.stats.ata_errors, 1);
}

static void aoe_error_flag_is_reported(void) {
    setup(1500, 16, 2);
    struct aoe_ata_command cmd = read_cmd(0, 2);
    CHECK(aoe_client_start(&client, &cmd, now));
    drain();
    static uint8_t out[FRAME_CAP];
    size_t len = answer(0, out, 0x40, 0);
    out[14] |= AOE_FLAG_ERROR;
    out[15] = AOE_ERR_DEVICE_UNAVAILABLE;
    aoe_client_receive(&client, out, len, now);
    CHECK(!client.busy);
    CHECK(client.result.kind == AOE_RESULT_AOE_ERROR);
    CHECK_EQ_U64(client.result.aoe_error, AOE_ERR_DEVICE_UNAVAILABLE);
    CHECK_EQ_U64(client.stats.aoe_errors, 1);
    CHECK(!strcmp(aoe_error_name(client.result.aoe_error), "device unavailable"));
    CHECK(!strcmp(aoe_error_name(AOE_ERR_TARGET_RESERVED), "target reserved"));
    CHECK(!strcmp(aoe_error_name(0), "unknown error"));
    CHECK(!strcmp(aoe_error_name(200), "unknown error"));
}

static void rtt_statistics_per_packet_index(void) {
    setup(1500, 16, 2);
    struct aoe_ata_command cmd = read_cmd(0, 6);
    for (unsigned rep = 0; rep < 2; rep++) {
        CHECK(aoe_client_start(&client, &cmd, now));
        unsigned base = sent_count;
        CHECK_EQ_U64(drain(), 3);
        for (unsigned i = 0; i < 3; i++) { /* later packets wait longer, as behind vblade */
            now += 100 * (i + 1) + 10 * rep;
            deliver(base + i);
        }
    }
    /* Cumulative waits: index 0: 100 and 110; index 1: 300 and 320; index 2: 600 and 630. */
    CHECK_EQ_U64(client.stats.rtt[0][0].count, 2);
    CHECK_EQ_U64(client.stats.rtt[0][0].sum_us, 210);
    CHECK_EQ_U64(client.stats.rtt[0][1].sum_us, 620);
    CHECK_EQ_U64(client.stats.rtt[0][2].sum_us, 1230);
    CHECK_EQ_U64(client.stats.rtt[0][2].max_us, 630);
    CHECK_EQ_U64(client.stats.rtt[1][0].count, 0);
    CHECK_EQ_U64(client.stats.commands, 2);
    CHECK_EQ_U64(client.stats.frames_sent, 6);
}

static void malformed_commands_are_refused(void) {
    setup(1500, 16, 2);
    struct aoe_ata_command cmd = read_cmd(0, AOE_MAX_COMMAND_SECTORS + 1);
    CHECK(!aoe_client_start(&client, &cmd, now));
    cmd = read_cmd(0, 2);
    cmd.data = NULL;
    CHECK(!aoe_client_start(&client, &cmd, now));
    cmd = read_cmd(0, 2);
    CHECK(aoe_client_start(&client, &cmd, now));
    CHECK(!aoe_client_start(&client, &cmd, now)); /* one at a time */
    aoe_client_init(&client, client_mac, 1500, 1, 1);
    CHECK(!aoe_client_start(&client, &cmd, now)); /* no target yet */
}

static void command_without_data_is_one_frame(void) {
    setup(1500, 16, 2);
    struct aoe_ata_command cmd = { .opcode = 0xEF,
                                   .features = 0x03,
                                   .count_register = 0x45 }; /* SET FEATURES: UDMA 5 */
    CHECK(aoe_client_start(&client, &cmd, now));
    CHECK_EQ_U64(drain(), 1);
    aoe_frame f = parsed(0);
    CHECK_EQ_U64(f.ata.cmd_status, 0xEF);
    CHECK_EQ_U64(f.ata.err_feature, 0x03);
    CHECK_EQ_U64(f.ata.sector_count, 0x45);
    CHECK(!(f.ata.aflags & (AOE_AFLAG_EXT | AOE_AFLAG_WRITE)));
    static uint8_t out[FRAME_CAP];
    size_t len = answer(0, out, 0x50, 0);
    out[AOE_HDR_LEN + 4] = 0x33; /* an answer in the LBA registers, as READ NATIVE MAX gives */
    out[AOE_HDR_LEN + 9] = 0x01;
    aoe_client_receive(&client, out, len, now);
    CHECK(!client.busy);
    CHECK(client.result.kind == AOE_RESULT_OK);
    CHECK_EQ_U64(client.result.status, 0x50);
    CHECK_EQ_U64(client.result.lba, 0x010000000033ull);
}

static void random_loss_duplication_and_reordering_still_deliver_the_data(void) {
    srand(7);
    setup(9000, 16, 17);
    struct aoe_ata_command cmd = read_cmd(3, 256);
    CHECK(aoe_client_start(&client, &cmd, now));
    static uint8_t answers[64][FRAME_CAP];
    static size_t answer_len[64];
    for (unsigned round = 0; round < 2000 && client.busy; round++) {
        now += 5000;
        sent_count = 0;
        drain();
        unsigned n = 0;
        for (unsigned i = 0; i < sent_count && n < 62; i++) {
            if (rand() % 4 == 0) continue; /* lost */
            answer_len[n] = answer(i, answers[n], 0x40, 0);
            n++;
            if (rand() % 5 == 0) { /* duplicated */
                memcpy(answers[n], answers[n - 1], answer_len[n - 1]);
                answer_len[n] = answer_len[n - 1];
                n++;
            }
        }
        for (unsigned i = n; i > 1; i--) { /* shuffled */
            unsigned j = (unsigned)rand() % i;
            static uint8_t tmp[FRAME_CAP];
            memcpy(tmp, answers[i - 1], FRAME_CAP);
            memcpy(answers[i - 1], answers[j], FRAME_CAP);
            memcpy(answers[j], tmp, FRAME_CAP);
            size_t t = answer_len[i - 1];
            answer_len[i - 1] = answer_len[j];
            answer_len[j] = t;
        }
        for (unsigned i = 0; i < n; i++) aoe_client_receive(&client, answers[i], answer_len[i], now);
    }
    CHECK(!client.busy);
    CHECK(!memcmp(buffer, disk + 3 * 512, 256 * 512));
    CHECK(client.stats.retransmits > 0);
    CHECK(client.stats.duplicates > 0);
}

static void silence_is_reported_once_per_interval(void) {
    setup(1500, 16, 2);
    struct aoe_ata_command cmd = read_cmd(0, 4);
    uint64_t start = now;
    CHECK(aoe_client_start(&client, &cmd, now));
    drain();
    CHECK(!aoe_client_silence_due(&client, start + 4999999, 5000000));
    CHECK(aoe_client_silence_due(&client, start + 5000000, 5000000));
    CHECK(!aoe_client_silence_due(&client, start + 5100000, 5000000));
    CHECK(aoe_client_silence_due(&client, start + 10000000, 5000000));
    now = start + 12000000;
    deliver(0); /* progress restarts the count */
    CHECK(!aoe_client_silence_due(&client, start + 16999999, 5000000));
    CHECK(aoe_client_silence_due(&client, start + 17000000, 5000000));
    deliver(1);
    CHECK(!client.busy);
    CHECK(!aoe_client_silence_due(&client, start + 99000000, 5000000)); /* nothing running */
}

/* ---- the deadline ---- */

static void silent_target_fails_the_command_at_the_deadline(void) {
    setup(1500, 16, 2);
    client.deadline_us = 20000000;
    struct aoe_ata_command cmd = read_cmd(0, 4);
    uint64_t start = now;
    CHECK(aoe_client_start(&client, &cmd, now));
    drain();
    now = start + 5000000;
    deliver(0); /* an answer restarts the count */
    CHECK(!aoe_client_expire(&client, now + 19999999));
    CHECK(client.busy);
    CHECK(aoe_client_expire(&client, now + 20000000));
    CHECK(!client.busy);
    CHECK(client.result.kind == AOE_RESULT_TIMEOUT);
    CHECK(client.unreachable);
    CHECK_EQ_U64(client.stats.timeouts, 1);
    CHECK(!aoe_client_expire(&client, now + 99000000)); /* nothing running */
}

static void unreachable_target_fails_fast_and_recovers_with_its_first_answer(void) {
    setup(1500, 16, 2);
    client.deadline_us = 20000000;
    struct aoe_ata_command cmd = read_cmd(0, 2);
    CHECK(aoe_client_start(&client, &cmd, now));
    drain();
    now += 20000000;
    CHECK(aoe_client_expire(&client, now));
    unsigned before = sent_count;
    CHECK(aoe_client_start(&client, &cmd, now)); /* the next command still asks */
    CHECK(drain() > 0);
    CHECK(!aoe_client_expire(&client, now + AOE_UNREACHABLE_PROBE_US - 1));
    CHECK(aoe_client_expire(&client, now + AOE_UNREACHABLE_PROBE_US));
    CHECK(client.result.kind == AOE_RESULT_TIMEOUT);
    CHECK_EQ_U64(client.stats.timeouts, 2);
    deliver(before); /* a late answer to it: stale, still unreachable */
    CHECK(client.unreachable);
    now += AOE_UNREACHABLE_PROBE_US;
    CHECK(aoe_client_start(&client, &cmd, now));
    unsigned request = sent_count;
    drain();
    deliver(request); /* the target is back */
    CHECK(!client.busy);
    CHECK(client.result.kind == AOE_RESULT_OK);
    CHECK(!client.unreachable);
    CHECK(!memcmp(buffer, disk, 1024));
}

static void deadline_zero_retries_forever(void) {
    setup(1500, 16, 2);
    struct aoe_ata_command cmd = read_cmd(0, 2);
    CHECK(aoe_client_start(&client, &cmd, now));
    drain();
    CHECK(!aoe_client_expire(&client, now + 86400000000ull));
    CHECK(client.busy);
}

int main(void) {
    TEST(discovery_broadcasts_and_rebroadcasts);
    TEST(discovery_takes_the_configured_target);
    TEST(discovery_auto_takes_the_first);
    TEST(sectors_per_frame_is_the_smaller_of_both_sides);
    TEST(fragmentation_covers_every_sector_once);
    TEST(tags_carry_sequence_and_index);
    TEST(window_limits_requests_in_flight);
    TEST(read_reassembles_reordered_responses);
    TEST(write_slices_the_payload);
    TEST(lost_request_is_retransmitted_with_backoff);
    TEST(late_original_after_retry_is_a_duplicate);
    TEST(duplicate_response_is_dropped);
    TEST(stale_response_of_previous_command_is_dropped);
    TEST(foreign_responses_are_ignored);
    TEST(answers_must_match_their_request);
    TEST(lba28_answers_are_compared_in_28_bits);
    TEST(failed_answer_may_point_at_the_failing_sector);
    TEST(second_target_for_the_same_slot_is_refused);
    TEST(config_answers_for_other_stations_are_not_taken);
    TEST(ata_error_is_returned);
    TEST(aoe_error_flag_is_reported);
    TEST(rtt_statistics_per_packet_index);
    TEST(malformed_commands_are_refused);
    TEST(command_without_data_is_one_frame);
    TEST(random_loss_duplication_and_reordering_still_deliver_the_data);
    TEST(silence_is_reported_once_per_interval);
    TEST(silent_target_fails_the_command_at_the_deadline);
    TEST(unreachable_target_fails_fast_and_recovers_with_its_first_answer);
    TEST(deadline_zero_retries_forever);
    return tap_finish();
}
