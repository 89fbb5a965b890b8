/* Counters of the AoE client, including what the paper's Fig. 8 plots: the RTT of each request
 * by its packet index within one ATA command, split by read and write. Pure data and updates;
 * aoe_stats_log prints them on the hypervisor console. */
#ifndef AOE_AOE_STATS_H
#define AOE_AOE_STATS_H

#include <stdbool.h>
#include <stdint.h>

/* Packet indexes tracked one by one: a 1 MiB command at 2 sectors per frame has 1024 packets.
 * Later indexes (only from larger commands) share the last bucket. */
#define AOE_STATS_INDEXES 1024u

struct aoe_rtt_bucket {
    uint64_t count, sum_us, max_us;
};

struct aoe_stats {
    struct aoe_rtt_bucket rtt[2][AOE_STATS_INDEXES];   /* [0] reads, [1] writes */
    uint64_t commands, frames_sent, retransmits, duplicates, stale, ignored;
    uint64_t ata_errors, aoe_errors, bytes_read, bytes_written;
};

void aoe_stats_reset(struct aoe_stats *s);
void aoe_stats_record_rtt(struct aoe_stats *s, bool write, unsigned packet_index, uint64_t rtt_us);
/* Logs the counters and, for each packet index with samples, count / mean / max RTT. */
void aoe_stats_log(const struct aoe_stats *s);

#endif
