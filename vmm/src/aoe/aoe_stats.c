/* SPDX-License-Identifier: MIT */
#include "aoe/aoe_stats.h"

#include <stddef.h>

void aoe_stats_reset(struct aoe_stats *s) { *s = (struct aoe_stats){ 0 }; }

void aoe_stats_record_rtt(struct aoe_stats *s, bool write, unsigned packet_index, uint64_t rtt_us) {
    unsigned i = packet_index < AOE_STATS_INDEXES ? packet_index : AOE_STATS_INDEXES - 1;
    struct aoe_rtt_bucket *b = &s->rtt[write][i];
    b->count++;
    b->sum_us += rtt_us;
    if (rtt_us > b->max_us) b->max_us = rtt_us;
}

void aoe_stats_record_command(struct aoe_stats *s, bool write, uint32_t sectors, uint64_t latency_us) {
    struct aoe_command_totals *t = &s->data_commands[write];
    t->count++;
    t->sectors += sectors;
    t->sum_us += latency_us;
    if (latency_us > t->max_us) t->max_us = latency_us;
}
