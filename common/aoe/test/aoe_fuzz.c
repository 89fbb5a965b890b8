/* SPDX-License-Identifier: MIT */
/* Fuzzes aoe_parse with frames a hostile or broken station could send: valid ATA and Query Config
 * frames with random fields, then flipped bytes, cut or extended, and pure noise. Each frame sits
 * in a heap block of exactly its length, so ASan catches a read past its end. What must hold:
 * a frame the parser accepts has every pointer and length inside the frame, and an untouched
 * frame parses back to the fields it was built from. */
#include <stdlib.h>

#include "aoe.h"
#include "fuzz.h"

#define MAX_FRAME 9200u

static uint8_t byte(uint64_t *rng) { return (uint8_t)splitmix64(rng); }

static size_t valid_frame(uint64_t *rng, uint8_t *f, aoe_ata_request *req) {
    static uint8_t data[MAX_FRAME];
    uint8_t mac[6];
    for (unsigned i = 0; i < 6; i++) mac[i] = byte(rng);
    if (splitmix64(rng) % 4 == 0) {
        size_t len = aoe_build_query_config(f, MAX_FRAME, mac, mac, (uint16_t)splitmix64(rng), byte(rng),
                                            (uint32_t)splitmix64(rng));
        size_t string = splitmix64(rng) % (AOE_CONFIG_MAX + 1);
        f[30] = (uint8_t)(string >> 8), f[31] = (uint8_t)string;
        for (size_t i = 0; i < string; i++) f[AOE_CFG_HDR_LEN + i] = byte(rng);
        return AOE_CFG_HDR_LEN + string < len ? len : AOE_CFG_HDR_LEN + string;
    }
    *req = (aoe_ata_request){ .shelf = (uint16_t)splitmix64(rng),
                              .slot = byte(rng),
                              .tag = (uint32_t)splitmix64(rng),
                              .aflags = byte(rng),
                              .feature = byte(rng),
                              .sector_count = byte(rng),
                              .command = byte(rng),
                              .lba = splitmix64(rng) & 0xFFFFFFFFFFFFull,
                              .data = data,
                              .data_len = (splitmix64(rng) % 18) * AOE_SECTOR };
    for (unsigned i = 0; i < 6; i++) req->dst[i] = byte(rng), req->src[i] = byte(rng);
    for (size_t i = 0; i < req->data_len; i++) data[i] = byte(rng);
    return aoe_build_ata(f, MAX_FRAME, req);
}

static void mutate(uint64_t *rng, uint8_t *f, size_t *len) {
    switch (splitmix64(rng) % 4) {
    case 0: /* flip bytes, mostly in the headers */
        for (unsigned n = 1 + splitmix64(rng) % 4; n; n--) {
            size_t at = splitmix64(rng) % 2 ? splitmix64(rng) % AOE_CFG_HDR_LEN : splitmix64(rng) % *len;
            if (at < *len) f[at] ^= (uint8_t)(1 + splitmix64(rng) % 255);
        }
        break;
    case 1: /* cut anywhere, down to nothing */ *len = splitmix64(rng) % (*len + 1); break;
    case 2: /* grow with noise */
        for (size_t extra = splitmix64(rng) % 1500; extra && *len < MAX_FRAME; extra--) f[(*len)++] = byte(rng);
        break;
    default: /* noise behind an AoE EtherType */
        *len = splitmix64(rng) % 200;
        for (size_t i = 0; i < *len; i++) f[i] = byte(rng);
        if (*len > 14) f[12] = 0x88, f[13] = 0xA2, f[14] = (uint8_t)(0x10 | (f[14] & 0x0F));
        break;
    }
}

static void check_inside(const uint8_t *frame, size_t len, const aoe_frame *out) {
    if (out->hdr.command == AOE_CMD_ATA) {
        CHECK(out->ata.data_len == len - AOE_ATA_HDR_LEN);
        CHECK(out->ata.data_len == 0 || out->ata.data == frame + AOE_ATA_HDR_LEN);
    }
    if (out->hdr.command == AOE_CMD_QUERY_CONFIG) {
        CHECK(out->config.string_len <= AOE_CONFIG_MAX);
        CHECK(AOE_CFG_HDR_LEN + (size_t)out->config.string_len <= len);
        CHECK(out->config.string == frame + AOE_CFG_HDR_LEN);
    }
}

static void fuzz_parse(uint64_t *rng, unsigned long inputs) {
    static uint8_t scratch[MAX_FRAME];
    for (unsigned long n = 0; n < inputs; n++) {
        aoe_ata_request req = { 0 };
        size_t len = valid_frame(rng, scratch, &req);
        bool untouched = splitmix64(rng) % 8 == 0;
        if (!untouched) mutate(rng, scratch, &len);
        uint8_t *frame = malloc(len ? len : 1);
        memcpy(frame, scratch, len);
        aoe_frame out;
        enum aoe_parse_status status = aoe_parse(frame, len, &out);
        CHECK(status < AOE_PARSE_STATUS_COUNT);
        CHECK(aoe_parse_status_name(status) != NULL);
        if (status == AOE_PARSE_OK) check_inside(frame, len, &out);
        if (untouched && req.data) { /* an unmodified ATA frame round-trips */
            CHECK(status == AOE_PARSE_OK);
            CHECK(out.hdr.tag == req.tag && out.hdr.shelf == req.shelf && out.hdr.slot == req.slot);
            CHECK(out.ata.lba == req.lba && out.ata.sector_count == req.sector_count && out.ata.aflags == req.aflags);
            CHECK(out.ata.data_len >= req.data_len && (!req.data_len || !memcmp(out.ata.data, req.data, req.data_len)));
        }
        free(frame);
        if (tap_case_failures) return; /* the first failing input is enough */
    }
}

int main(int argc, char **argv) { return fuzz_main(argc, argv, "aoe_parse on mutated frames", fuzz_parse, 50000, 3); }
