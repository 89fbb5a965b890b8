/* SPDX-License-Identifier: MIT */
/* Opening a session with one target: interface, discovery, frame size. */
#include <stdio.h>
#include <string.h>

#include "aoe.h"
#include "json.h"
#include "probe.h"

int parse_target(const char *text, uint16_t *shelf, uint8_t *slot) {
    unsigned sh, sl;
    char tail;
    const char *p = text[0] == 'e' ? text + 1 : text;
    if (sscanf(p, "%u.%u%c", &sh, &sl, &tail) != 2 || sh >= AOE_SHELF_ANY || sl >= AOE_SLOT_ANY) {
        fprintf(stderr, "aoe-probe: --target '%s' is not SHELF.SLOT (e.g. 0.1 or e0.1, shelf < 65535, slot < 255)\n",
                text);
        return -1;
    }
    *shelf = (uint16_t)sh;
    *slot = (uint8_t)sl;
    return 0;
}

int parse_mac(const char *text, uint8_t mac[6]) {
    unsigned m[6];
    char tail;
    if (sscanf(text, "%x:%x:%x:%x:%x:%x%c", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5], &tail) != 6 ||
        (m[0] | m[1] | m[2] | m[3] | m[4] | m[5]) > 0xFF) {
        fprintf(stderr, "aoe-probe: --mac '%s' is not a MAC address like 02:00:00:00:00:01\n", text);
        return -1;
    }
    for (int i = 0; i < 6; i++) mac[i] = (uint8_t)m[i];
    return 0;
}

/* A target given by --mac and --target, without asking it: it may not answer yet. */
static int static_target(const probe_opts *o, uint16_t shelf, uint8_t slot, aoe_target *t) {
    if (parse_mac(o->mac, t->mac) < 0) return -1;
    t->shelf = shelf;
    t->slot = slot;
    t->sectors_per_frame = 255; /* unknown: the MTU or --spf decides */
    return 1;
}

int session_open(const probe_args *a, aoe_link *link, aoe_session *s) {
    const probe_opts *o = a->o;
    uint16_t shelf = AOE_SHELF_ANY;
    uint8_t slot = AOE_SLOT_ANY;
    if (o->target && parse_target(o->target, &shelf, &slot) < 0) return -1;
    if (link_open(link, o->ifname) < 0) return -1;
    uint64_t wait_ms = a->seen[O_WAIT] ? o->wait_ms : 3000;
    memset(s, 0, sizeof *s);
    int found = o->mac ? static_target(o, shelf, slot, &s->target)
                       : discover(link, shelf, slot, wait_ms * 1000000u, &s->target, 1);
    if (found < 0 && o->mac) return -1;
    if (found <= 0) {
        fprintf(stderr,
                "aoe-probe: no AoE target %s answered on %s within %llu ms; is the server running on the other end?\n",
                o->target ? o->target : "(any)", o->ifname, (unsigned long long)wait_ms);
        return -1;
    }
    unsigned mtu_spf = aoe_sectors_per_frame(link->mtu);
    unsigned spf = s->target.sectors_per_frame < mtu_spf ? s->target.sectors_per_frame : mtu_spf;
    if (a->seen[O_SPF]) spf = (unsigned)o->spf; /* deliberately oversize frames are allowed: tests need them */
    if (spf == 0) {
        fprintf(stderr, "aoe-probe: no whole sector fits a frame (MTU %u, target offers %u sectors per frame)\n",
                link->mtu, s->target.sectors_per_frame);
        return -1;
    }
    s->link = link;
    s->sectors_per_frame = spf;
    s->window = (unsigned)o->window;
    s->timeout_ns = o->timeout_ms * 1000000u;
    s->retries = (unsigned)o->retries;
    s->command_seq = (uint16_t)(now_ns() >> 10); /* differs between runs: stale replies never match */
    return 0;
}

void print_exchange_error(const char *what, int result, const ata_exchange *x) {
    printf("{\"event\":\"error\",\"what\":\"%s\",\"result\":\"%s\",\"frame\":%u,\"aoe_error\":%s,\"aoe_code\":%u,"
           "\"status\":%u,\"error\":%u,\"data_len\":%zu}\n",
           what, exchange_result_name(result), x->reply.frame, x->reply.aoe_error ? "true" : "false", x->reply.aoe_code,
           x->reply.status, x->reply.error, x->reply.data_len);
}
