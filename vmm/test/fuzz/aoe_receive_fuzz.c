/* SPDX-License-Identifier: MIT */
/* Fuzzes the AoE initiator's receive path (aoe_client_receive) the way a bad wire and a hostile
 * station would: each command's genuine answers (from an in-memory target) are lost, duplicated,
 * reordered, bit-flipped in their headers, cut short, re-addressed, and mixed with noise and
 * Query Config answers from another MAC. What must hold for every command: it ends (answers keep
 * coming as retransmissions are answered), and it ends either with an error the guest sees or
 * with exactly the target's data: a read never completes with bytes from the wrong sectors, and a
 * write's sectors reach the disk. Flips stay out of the data bytes: AoE carries no checksum of its
 * own (the Ethernet FCS does), so corrupted data in a well-formed answer cannot be detected. */
#include <stdlib.h>

#include "aoe/aoe_client.h"
#include "fuzz.h"

#define DISK_SECTORS 4096u
#define FRAME_CAP 9100u
#define MAX_SECTORS 300u
#define MAX_ANSWERS 256u

static const uint8_t client_mac[6] = { 0x52, 0x54, 0, 0, 0, 1 };
static const uint8_t target_mac[6] = { 0x52, 0x54, 0, 0, 0, 2 };
static const uint8_t rogue_mac[6] = { 0x52, 0x54, 0, 0, 0, 3 };

static struct aoe_client client;
static uint8_t disk[DISK_SECTORS * 512];
static uint8_t buffer[MAX_SECTORS * 512];
static uint8_t request[FRAME_CAP];
static struct {
    size_t len;
    uint8_t bytes[FRAME_CAP];
} answers[MAX_ANSWERS];

/* The target: executes a request on the disk and answers as vblade does (count 0, LBA echoed). */
static size_t target_answer(const uint8_t *req_frame, size_t req_len, uint8_t *out) {
    aoe_frame req;
    if (aoe_parse(req_frame, req_len, &req) != AOE_PARSE_OK || req.hdr.command != AOE_CMD_ATA) return 0;
    size_t bytes = (size_t)req.ata.sector_count * 512;
    bool write = req.ata.aflags & AOE_AFLAG_WRITE;
    bool data = req.ata.cmd_status == 0x24 || req.ata.cmd_status == 0x34;
    if (data && req.ata.lba + req.ata.sector_count > DISK_SECTORS) return 0;
    if (data && write) memcpy(disk + req.ata.lba * 512, req.ata.data, bytes);
    aoe_ata_request r = { .shelf = req.hdr.shelf,
                          .slot = req.hdr.slot,
                          .tag = req.hdr.tag,
                          .aflags = req.ata.aflags,
                          .command = 0x50,
                          .lba = req.ata.lba,
                          .data = data && !write ? disk + req.ata.lba * 512 : NULL,
                          .data_len = data && !write ? bytes : 0 };
    memcpy(r.dst, client_mac, 6);
    memcpy(r.src, target_mac, 6);
    size_t len = aoe_build_ata(out, FRAME_CAP, &r);
    out[14] |= AOE_FLAG_RESPONSE;
    return len;
}

static size_t config_answer(uint8_t *out, const uint8_t mac[6], uint16_t shelf, uint8_t slot) {
    size_t len = aoe_build_query_config(out, FRAME_CAP, mac, client_mac, shelf, slot, 0);
    out[14] |= AOE_FLAG_RESPONSE;
    out[25] = 16; /* buffer count */
    out[28] = 17; /* sectors per frame */
    return len;
}

/* Damages one answer; flips hit the 36 header bytes only (see the comment at the top). */
static void damage(uint64_t *rng, uint8_t *f, size_t *len) {
    switch (splitmix64(rng) % 5) {
    case 0:
    case 1:
        for (unsigned n = 1 + splitmix64(rng) % 3; n; n--)
            f[splitmix64(rng) % AOE_ATA_HDR_LEN] ^= (uint8_t)(1u << (splitmix64(rng) % 8));
        break;
    case 2: *len = splitmix64(rng) % (*len + 1); break;
    case 3:
        memcpy(f, splitmix64(rng) % 2 ? rogue_mac : (const uint8_t[6]){ 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, 6);
        break;
    default:
        memcpy(f + 6, rogue_mac, 6); /* a rogue station answering in the target's name and slot */
        break;
    }
}

static void shuffle(uint64_t *rng, unsigned n) {
    static uint8_t tmp[FRAME_CAP];
    for (unsigned i = n; i > 1; i--) {
        unsigned j = (unsigned)(splitmix64(rng) % i);
        size_t l = answers[i - 1].len;
        memcpy(tmp, answers[i - 1].bytes, l);
        answers[i - 1] = answers[j];
        memcpy(answers[j].bytes, tmp, l);
        answers[j].len = l;
    }
}

static void run_command(uint64_t *rng, uint64_t *now) {
    uint32_t sectors = (uint32_t)(splitmix64(rng) % MAX_SECTORS);
    bool write = splitmix64(rng) % 2;
    uint64_t lba = splitmix64(rng) % (DISK_SECTORS - MAX_SECTORS);
    for (size_t i = 0; i < (size_t)sectors * 512; i++) buffer[i] = write ? (uint8_t)splitmix64(rng) : 0;
    struct aoe_ata_command cmd = {
        .opcode = write ? 0x34 : 0x24, .sectors = sectors, .lba = lba, .lba48 = true, .write = write, .data = buffer
    };
    if (!sectors) cmd = (struct aoe_ata_command){ .opcode = 0xE7 }; /* FLUSH CACHE: no data */
    CHECK(aoe_client_start(&client, &cmd, *now));
    unsigned rounds = 0;
    for (; client.busy && rounds < 5000; rounds++) {
        *now += 20000 + splitmix64(rng) % 200000;
        unsigned n = 0;
        size_t len;
        while ((len = aoe_client_next_frame(&client, *now, request, sizeof request)) != 0) {
            if (n + 3 >= MAX_ANSWERS || splitmix64(rng) % 5 == 0) continue; /* lost */
            answers[n].len = target_answer(request, len, answers[n].bytes);
            if (!answers[n].len) continue;
            if (splitmix64(rng) % 6 == 0) { /* duplicated */
                answers[n + 1] = answers[n];
                n++;
            }
            if (splitmix64(rng) % 4 == 0) damage(rng, answers[n].bytes, &answers[n].len); /* damaged */
            n++;
        }
        if (n < MAX_ANSWERS && splitmix64(rng) % 8 == 0) { /* noise */
            answers[n].len = 14 + splitmix64(rng) % 200;
            for (size_t i = 0; i < answers[n].len; i++) answers[n].bytes[i] = (uint8_t)splitmix64(rng);
            answers[n].bytes[12] = 0x88, answers[n].bytes[13] = 0xA2;
            n++;
        }
        if (n < MAX_ANSWERS && splitmix64(rng) % 16 == 0) /* a rival target */
            answers[n].len = config_answer(answers[n].bytes, rogue_mac, 1, 1), n++;
        shuffle(rng, n);
        for (unsigned i = 0; i < n; i++) aoe_client_receive(&client, answers[i].bytes, answers[i].len, *now);
    }
    CHECK(!client.busy);                                                        /* ended: genuine answers keep coming */
    if (client.busy || client.result.kind != AOE_RESULT_OK || !sectors) return; /* an error the guest sees */
    CHECK(!memcmp(buffer, disk + lba * 512, (size_t)sectors * 512));
}

static void fuzz_receive(uint64_t *rng, unsigned long inputs) {
    for (size_t i = 0; i < sizeof disk; i++) disk[i] = (uint8_t)splitmix64(rng);
    aoe_client_init(&client, client_mac, 9000, AOE_SHELF_ANY, AOE_SLOT_ANY);
    uint64_t now = 0;
    CHECK(aoe_client_next_frame(&client, now, request, sizeof request) != 0); /* discovery */
    answers[0].len = config_answer(answers[0].bytes, target_mac, 1, 1);
    aoe_client_receive(&client, answers[0].bytes, answers[0].len, now);
    CHECK(client.target.found);
    for (unsigned long n = 0; n < inputs && !tap_case_failures; n++) run_command(rng, &now);
    CHECK(!memcmp(client.target.mac, target_mac, 6)); /* the rival never took over */
    CHECK_EQ_U64(client.stats.commands, inputs);
    CHECK(client.stats.mismatched > 0 && client.stats.conflicts > 0 && client.stats.retransmits > 0);
}

int main(int argc, char **argv) {
    return fuzz_main(argc, argv, "aoe_client_receive on a hostile wire", fuzz_receive, 300, 3);
}
