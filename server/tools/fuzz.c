/* SPDX-License-Identifier: MIT */
/* fuzz: sends malformed and odd frames to a target, drains whatever comes back, and reports
 * counts per kind. The test then checks that the server is alive and its data intact. Writes
 * are never sent with data the server could accept, so the export's contents stay as they were. */
#include <stdio.h>
#include <string.h>

#include "aoe.h"
#include "pattern.h"
#include "probe.h"

enum fuzz_kind {
    FUZZ_TRUNCATED,        /* a valid read request cut short (14..59 bytes, no padding) */
    FUZZ_BAD_VERSION,      /* Ver nibble other than 1 */
    FUZZ_OTHER_TARGET,     /* shelf/slot that is not the target's */
    FUZZ_COUNT_OVER_FRAME, /* write inside the verified region whose sector count exceeds the data carried */
    FUZZ_OVERSIZE_COUNT,   /* read asking more sectors than a frame holds */
    FUZZ_RANDOM_HEADER,    /* random bytes in the AoE header and ATA argument (never W) */
    FUZZ_UNKNOWN_COMMAND,  /* AoE command 4..255 */
    FUZZ_CONFIG,           /* Query Config with random CCmd and string length */
    FUZZ_READ_ONLY_CMDS,   /* MAC mask / reserve commands in their read forms, random lengths */
    FUZZ_KIND_COUNT
};

static const char *const kind_names[FUZZ_KIND_COUNT] = {
    "truncated",     "bad_version",     "other_target", "count_over_frame",  "oversize_count",
    "random_header", "unknown_command", "config",       "mask_reserve_read",
};

/* The region server-fuzz.test.ts writes before fuzzing and verifies after (LBA 0..2047). */
#define FUZZ_VERIFIED_SECTORS 2048u

/* Top tag byte of bad-version frames; their answers should carry AoE error 5. */
#define BAD_VERSION_TAG 0xB5000000u

/* FNV-1a of one answer. The run's digest is the sum of its answers' hashes: it does not depend on
 * the order the answers came in, so a concurrent server's digest equals a serial one's when they
 * answered the same frames with the same bytes. */
static uint64_t answer_hash(const uint8_t *p, size_t n) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}

/* Reads what came back within timeout_ns; counts all and the "unsupported version" answers. */
static void drain(const aoe_link *link, uint64_t timeout_ns, uint64_t *answers, uint64_t *version_errors,
                  uint64_t *digest) {
    uint8_t buf[65536];
    long got;
    while ((got = link_recv(link, buf, sizeof buf, timeout_ns)) > 0) {
        aoe_frame f;
        (*answers)++;
        *digest += answer_hash(buf, (size_t)got);
        if (aoe_parse(buf, (size_t)got, &f) == AOE_PARSE_OK && f.is_error &&
            f.hdr.error == AOE_ERR_UNSUPPORTED_VERSION && (f.hdr.tag & 0xFF000000u) == BAD_VERSION_TAG)
            (*version_errors)++;
    }
}

/* Opcodes that would write to the export: never fuzzed with a W flag and data. */
static int writes_media(uint8_t cmd) {
    static const uint8_t writes[] = { 0x30, 0x31, 0x34, 0x35, 0x39, 0x3D, 0xC5, 0xCA, 0xCB, 0xCE };
    for (size_t i = 0; i < sizeof writes; i++)
        if (writes[i] == cmd) return 1;
    return 0;
}

static size_t build_read(const aoe_session *s, uint8_t *f, size_t cap, uint64_t *rng, uint8_t count) {
    aoe_ata_request r = { .shelf = s->target.shelf,
                          .slot = s->target.slot,
                          .tag = (uint32_t)splitmix64(rng),
                          .aflags = AOE_AFLAG_EXT,
                          .sector_count = count,
                          .command = 0x24,
                          .lba = splitmix64(rng) % 1024 };
    memcpy(r.dst, s->target.mac, 6);
    memcpy(r.src, s->link->mac, 6);
    return aoe_build_ata(f, cap, &r);
}

static size_t mutate(const aoe_session *s, enum fuzz_kind kind, uint8_t *f, size_t cap, uint64_t *rng) {
    size_t len = build_read(s, f, cap, rng, 1);
    switch (kind) {
    case FUZZ_TRUNCATED: return 14 + splitmix64(rng) % (AOE_MIN_FRAME - 14);
    case FUZZ_BAD_VERSION:
        f[20] = BAD_VERSION_TAG >> 24;                               /* marks the answers to count them */
        f[14] = (uint8_t)(((1 + splitmix64(rng) % 15) << 4) ^ 0x10); /* any nibble but 1 */
        if ((f[14] >> 4) == 1) f[14] = 0x20;
        return len;
    case FUZZ_OTHER_TARGET:
        f[16] = (uint8_t)(s->target.shelf >> 8);
        f[17] = (uint8_t)(s->target.shelf + 1 + splitmix64(rng) % 100);
        f[18] = (uint8_t)(s->target.slot + 1 + splitmix64(rng) % 100);
        return len;
    case FUZZ_COUNT_OVER_FRAME: {
        /* A count the server accepts (<= its sectors per frame) at an LBA inside the region the test
     * verifies, so only the short-payload check stands between this frame and the medium. */
        size_t data = (s->sectors_per_frame > 1 ? splitmix64(rng) % 2 : 0) * 512; /* 0 or 1 sector of data */
        uint8_t count = (uint8_t)(data / 512 + 1 + splitmix64(rng) % (s->sectors_per_frame - data / 512));
        uint64_t lba = splitmix64(rng) % (FUZZ_VERIFIED_SECTORS - count);
        f[24] = AOE_AFLAG_EXT | AOE_AFLAG_WRITE;
        f[26] = count;
        f[27] = 0x34;
        for (unsigned i = 0; i < 6; i++) f[28 + i] = (uint8_t)(lba >> (8 * i));
        for (size_t i = AOE_ATA_HDR_LEN; i < AOE_ATA_HDR_LEN + data; i++) f[i] = (uint8_t)splitmix64(rng);
        return AOE_ATA_HDR_LEN + data < AOE_MIN_FRAME ? AOE_MIN_FRAME : AOE_ATA_HDR_LEN + data;
    }
    case FUZZ_OVERSIZE_COUNT:
        f[26] = (uint8_t)(s->sectors_per_frame + 1 + splitmix64(rng) % (255 - s->sectors_per_frame));
        return len;
    case FUZZ_RANDOM_HEADER:
        for (size_t i = 14; i < AOE_ATA_HDR_LEN; i++) f[i] = (uint8_t)splitmix64(rng);
        if (f[19] == AOE_CMD_MAC_MASK || f[19] == AOE_CMD_RESERVE) f[19] = AOE_CMD_ATA; /* keep access control */
        if (f[19] == AOE_CMD_QUERY_CONFIG && (f[29] & 0x0F) >= AOE_CCMD_SET) f[29] &= 0xF0;
        f[24] &= (uint8_t)~AOE_AFLAG_WRITE;
        if (writes_media(f[27])) f[27] = 0x24;
        return len;
    case FUZZ_UNKNOWN_COMMAND: f[19] = (uint8_t)(4 + splitmix64(rng) % 252); return len;
    case FUZZ_CONFIG:
        f[19] = AOE_CMD_QUERY_CONFIG;
        f[29] = (uint8_t)(0x10 | (splitmix64(rng) % 3)); /* read, test, test prefix: never set the string */
        f[30] = (uint8_t)(splitmix64(rng) % 8);
        f[31] = (uint8_t)splitmix64(rng);
        return len;
    case FUZZ_READ_ONLY_CMDS:
        f[19] = (uint8_t)(AOE_CMD_MAC_MASK + splitmix64(rng) % 2);
        f[24] = 0;                        /* mask: reserved; reserve: rcmd read */
        f[25] = 0;                        /* mask: mcmd read */
        f[27] = (uint8_t)splitmix64(rng); /* mask: directive count, unused by read */
        return 14 + splitmix64(rng) % (len - 14 + 1);
    default: return len;
    }
}

int cmd_fuzz(const probe_args *a) {
    static const enum probe_opt_id needed[] = { O_FRAMES };
    if (require(a, needed, 1, "fuzz") < 0) return 2;
    aoe_link link;
    aoe_session s;
    if (session_open(a, &link, &s) < 0) return 1;
    uint64_t rng = a->o->seed, sent[FUZZ_KIND_COUNT] = { 0 }, answers = 0, version_errors = 0, digest = 0;
    uint8_t frame[2048];
    for (uint64_t n = 0; n < a->o->frames; n++) {
        enum fuzz_kind kind = (enum fuzz_kind)(splitmix64(&rng) % FUZZ_KIND_COUNT);
        size_t len = mutate(&s, kind, frame, sizeof frame, &rng);
        if (link_send(&link, frame, len) < 0) {
            perror("aoe-probe fuzz: send");
            return 1;
        }
        sent[kind]++;
        /* pause every 16 frames: the server's socket buffer (16 frames by default) must not overflow */
        drain(&link, n % 16 == 15 ? 2000000u : 0, &answers, &version_errors, &digest);
    }
    drain(&link, 500000000u, &answers, &version_errors, &digest); /* until 0.5 s of silence */
    printf("{\"event\":\"fuzz\",\"frames\":%llu,\"answers\":%llu,\"unsupported_version_answers\":%llu",
           (unsigned long long)a->o->frames, (unsigned long long)answers, (unsigned long long)version_errors);
    for (int k = 0; k < FUZZ_KIND_COUNT; k++) printf(",\"%s\":%llu", kind_names[k], (unsigned long long)sent[k]);
    printf(",\"answers_digest\":\"%016llx\"}\n", (unsigned long long)digest);
    return 0;
}
