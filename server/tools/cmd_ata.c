/* SPDX-License-Identifier: MIT */
/* Subcommands that send single frames: discover, identify, ata, setfeatures. */
#include <stdio.h>
#include <stdlib.h>

#include "aoe.h"
#include "identify.h"
#include "json.h"
#include "pattern.h"
#include "probe.h"

#define ATA_IDENTIFY 0xECu
#define ATA_SET_FEATURES 0xEFu

/* Lists every target that answers within --wait-ms; with --target, returns at its answer. */
int cmd_discover(const probe_args *a) {
    aoe_link link;
    uint16_t shelf = AOE_SHELF_ANY;
    uint8_t slot = AOE_SLOT_ANY;
    if (a->o->target && parse_target(a->o->target, &shelf, &slot) < 0) return 2;
    if (link_open(&link, a->o->ifname) < 0) return 1;
    aoe_target found[64];
    uint64_t wait_ms = a->seen[O_WAIT] ? a->o->wait_ms : 1000;
    int n = discover(&link, shelf, slot, wait_ms * 1000000u, found, 64);
    if (n < 0) {
        perror("aoe-probe: discover");
        return 1;
    }
    for (int i = 0; i < n; i++) {
        printf("{\"event\":\"target\",\"shelf\":%u,\"slot\":%u,\"mac\":", found[i].shelf, found[i].slot);
        json_mac(found[i].mac);
        printf(",\"buffer_count\":%u,\"firmware\":%u,\"sectors_per_frame\":%u,\"config\":", found[i].buffer_count,
               found[i].firmware, found[i].sectors_per_frame);
        json_string(found[i].config);
        printf(",\"local_mtu\":%u}\n", link.mtu);
    }
    if (n == 0)
        fprintf(stderr, "aoe-probe: no AoE target answered on %s within %llu ms\n", a->o->ifname,
                (unsigned long long)wait_ms);
    return n > 0 ? 0 : 1;
}

int cmd_identify(const probe_args *a) {
    aoe_link link;
    aoe_session s;
    if (session_open(a, &link, &s) < 0) return 1;
    uint8_t data[512];
    frame_plan plan = { .sector_count = 1, .in_len = 512 };
    ata_exchange x = { .command = ATA_IDENTIFY, .frames = &plan, .nframes = 1, .data = data };
    int r = exchange_run(&s, &x);
    if (r != EXCHANGE_OK) {
        print_exchange_error("identify", r, &x);
        return 1;
    }
    identify_print(data);
    return 0;
}

/* One frame with the registers as given; prints the response registers whatever they say. */
static int raw_command(const probe_args *a, uint8_t command) {
    const probe_opts *o = a->o;
    aoe_link link;
    aoe_session s;
    if (session_open(a, &link, &s) < 0) return 1;
    uint8_t *data = calloc(1, 65536);
    if (!data) abort();
    pattern_fill(data, o->lba, (uint32_t)((o->data_bytes + 511) / 512), o->seed);
    frame_plan plan = { .lba = o->lba, .sector_count = (uint8_t)o->count, .out_len = o->data_bytes };
    ata_exchange x = {
        .command = command,
        .aflags = (uint8_t)((o->ext ? AOE_AFLAG_EXT : 0) | (o->write ? AOE_AFLAG_WRITE : 0)),
        .feature = (uint8_t)o->feature,
        .frames = &plan,
        .nframes = 1,
        .data = data,
    };
    int r = exchange_run(&s, &x);
    free(data);
    if (r < 0) {
        print_exchange_error("ata", r, &x);
        return 1;
    }
    printf(
        "{\"event\":\"ata\",\"cmd\":%u,\"result\":\"%s\",\"aoe_error\":%s,\"aoe_code\":%u,\"status\":%u,\"error\":%u,"
        "\"count\":%u,\"lba\":%llu,\"data_len\":%zu}\n",
        command, exchange_result_name(r), x.reply.aoe_error ? "true" : "false", x.reply.aoe_code, x.reply.status,
        x.reply.error, x.reply.sector_count, (unsigned long long)x.reply.lba, x.reply.data_len);
    return 0;
}

int cmd_ata(const probe_args *a) {
    static const enum probe_opt_id needed[] = { O_CMD };
    if (require(a, needed, 1, "ata") < 0) return 2;
    return raw_command(a, (uint8_t)a->o->cmd);
}

int cmd_setfeatures(const probe_args *a) {
    static const enum probe_opt_id needed[] = { O_FEATURE };
    if (require(a, needed, 1, "setfeatures") < 0) return 2;
    return raw_command(a, ATA_SET_FEATURES);
}
