/* SPDX-License-Identifier: MIT */
/* Console output of the AoE statistics (hypervisor side; the counters are in aoe_stats.c). The
 * experiment driver parses these lines (experiments/shared/hypervisor-aoe-stats.ts): change both. */
#include "aoe/aoe_stats.h"
#include "console/log.h"
#include "x86/tsc.h"

static const char *direction[2] = { "read", "write" };

void aoe_stats_log(const struct aoe_stats *s, const char *reason) {
    log_printf("aoe stats begin (%s)\n", reason);
    log_printf(
        "aoe stats: commands %lu, frames sent %lu, retransmits %lu, duplicates %lu, stale %lu, ignored %lu, "
        "mismatched %lu, conflicts %lu, timeouts %lu, tx ring full %lu, ATA errors %lu, AoE errors %lu, bytes read %lu, written %lu\n",
        s->commands, s->frames_sent, s->retransmits, s->duplicates, s->stale, s->ignored, s->mismatched, s->conflicts,
        s->timeouts, s->tx_ring_full, s->ata_errors, s->aoe_errors, s->bytes_read, s->bytes_written);
    const struct aoe_time_split *t = &s->time;
    uint64_t accounted = t->transmit + t->doorbell + t->receive + t->idle;
    log_printf("aoe time: busy %lu us, transmit %lu us, doorbell %lu us, receive %lu us, idle %lu us, other %lu us, "
               "frames received %lu\n",
               tsc_to_us(t->busy), tsc_to_us(t->transmit), tsc_to_us(t->doorbell), tsc_to_us(t->receive),
               tsc_to_us(t->idle), tsc_to_us(t->busy > accounted ? t->busy - accounted : 0), s->frames_received);
    for (unsigned write = 0; write < 2; write++) {
        const struct aoe_command_totals *t = &s->data_commands[write];
        if (!t->count) continue;
        log_printf("aoe commands %s: count %lu sectors %lu mean %lu us max %lu us total %lu us\n", direction[write],
                   t->count, t->sectors, t->sum_us / t->count, t->max_us, t->sum_us);
    }
    for (unsigned write = 0; write < 2; write++) {
        for (unsigned i = 0; i < AOE_STATS_INDEXES; i++) {
            const struct aoe_rtt_bucket *b = &s->rtt[write][i];
            if (!b->count) continue;
            log_printf("aoe rtt %s index %u: count %lu mean %lu us max %lu us total %lu us\n", direction[write], i,
                       b->count, b->sum_us / b->count, b->max_us, b->sum_us);
        }
    }
    log_printf("aoe stats end\n");
}
