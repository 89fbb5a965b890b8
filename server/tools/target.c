/* SPDX-License-Identifier: MIT */
#include "target.h"

#include <stdio.h>
#include <string.h>

#include "aoe.h"

static const uint8_t broadcast[6] = { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };

static int known(const aoe_target *found, int n, const aoe_frame *f) {
    for (int i = 0; i < n; i++)
        if (found[i].shelf == f->hdr.shelf && found[i].slot == f->hdr.slot && memcmp(found[i].mac, f->hdr.src, 6) == 0)
            return 1;
    return 0;
}

int discover(const aoe_link *link, uint16_t shelf, uint8_t slot, uint64_t wait_ns, aoe_target *found, int max) {
    uint8_t frame[AOE_MIN_FRAME];
    uint8_t buf[9216];
    int n = 0;
    uint64_t start = now_ns(), next_query = start;
    const uint64_t resend_ns = 100000000u;
    for (;;) {
        uint64_t now = now_ns();
        if (now - start >= wait_ns) break;
        if (now >= next_query) {
            size_t len = aoe_build_query_config(frame, sizeof frame, link->mac, broadcast, shelf, slot, 0);
            if (link_send(link, frame, len) < 0) return -1;
            next_query = now + resend_ns;
        }
        uint64_t until = next_query < start + wait_ns ? next_query : start + wait_ns;
        long got = link_recv(link, buf, sizeof buf, until > now ? until - now : 0);
        if (got < 0) return -1;
        aoe_frame f;
        if (got == 0 || aoe_parse(buf, (size_t)got, &f) != AOE_PARSE_OK) continue;
        if (!f.is_response || f.is_error || f.hdr.command != AOE_CMD_QUERY_CONFIG) continue;
        if ((shelf != AOE_SHELF_ANY && f.hdr.shelf != shelf) || (slot != AOE_SLOT_ANY && f.hdr.slot != slot)) continue;
        if (n >= max || known(found, n, &f)) continue;
        aoe_target *t = &found[n++];
        memcpy(t->mac, f.hdr.src, 6);
        t->shelf = f.hdr.shelf;
        t->slot = f.hdr.slot;
        t->buffer_count = f.config.buffer_count;
        t->firmware = f.config.firmware;
        t->sectors_per_frame = f.config.sectors_per_frame;
        t->config_len = f.config.string_len;
        memcpy(t->config, f.config.string, f.config.string_len);
        t->config[f.config.string_len] = 0;
        if (shelf != AOE_SHELF_ANY && slot != AOE_SLOT_ANY) break; /* the one asked for */
    }
    return n;
}
