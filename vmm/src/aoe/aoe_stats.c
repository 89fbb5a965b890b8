#include "aoe/aoe_stats.h"

#include <stddef.h>

void aoe_stats_reset(struct aoe_stats *s) {
    *s = (struct aoe_stats){ 0 };
}

void aoe_stats_record_rtt(struct aoe_stats *s, bool write, unsigned packet_index, uint64_t rtt_us) {
    unsigned i = packet_index < AOE_STATS_INDEXES ? packet_index : AOE_STATS_INDEXES - 1;
    struct aoe_rtt_bucket *b = &s->rtt[write][i];
    b->count++;
    b->sum_us += rtt_us;
    if (rtt_us > b->max_us) b->max_us = rtt_us;
}
