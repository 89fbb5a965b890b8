/* SPDX-License-Identifier: MIT */
/* Counters of the AoE client, including what the paper's Fig. 8 plots: the RTT of each request
 * by its packet index within one ATA command, split by read and write, and the latency of whole
 * commands (the paper's "disk access"). Pure data and updates; aoe_stats_log prints them on the
 * hypervisor console, where the experiment driver reads them (format documented there). */
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

/* Whole data commands of one direction: how many, their sectors and their start-to-last-answer time. */
struct aoe_command_totals {
    uint64_t count, sectors, sum_us, max_us;
};

/* Where the client's time goes while it runs commands, in TSC cycles (counted by aoe_blocking.c):
 * building and queueing request frames, the doorbells (register writes; an emulated NIC sends and
 * takes buffers back inside them), taking answers off the ring and handling them, passes that found
 * nothing to send or receive, and the rest of the command loop (deadline checks). */
struct aoe_time_split {
    uint64_t busy; /* inside aoe_execute, command start to result */
    uint64_t transmit, doorbell, receive, idle;
};

struct aoe_stats {
    struct aoe_rtt_bucket rtt[2][AOE_STATS_INDEXES]; /* [0] reads, [1] writes */
    struct aoe_command_totals data_commands[2];      /* [0] reads, [1] writes */
    uint64_t commands, frames_sent, retransmits, duplicates, stale, ignored;
    uint64_t mismatched;   /* right tag and target, but not an answer to that request: dropped */
    uint64_t conflicts;    /* Query Config answers from a second MAC for the pinned shelf.slot */
    uint64_t timeouts;     /* commands failed because the target did not answer in time */
    uint64_t tx_ring_full; /* frames the NIC could not take at once (sent in the next round) */
    uint64_t ata_errors, aoe_errors, bytes_read, bytes_written;
    uint64_t frames_received; /* every frame taken off the ring while a command ran */
    struct aoe_time_split time;
};

void aoe_stats_reset(struct aoe_stats *s);
void aoe_stats_record_rtt(struct aoe_stats *s, bool write, unsigned packet_index, uint64_t rtt_us);
void aoe_stats_record_command(struct aoe_stats *s, bool write, uint32_t sectors, uint64_t latency_us);
/* Logs the counters between "aoe stats begin (<reason>)" and "aoe stats end" lines: totals, the
 * time split (microseconds), one line per direction of whole data commands, and one line per
 * packet index with samples (count, mean, max and total RTT in microseconds). */
void aoe_stats_log(const struct aoe_stats *s, const char *reason);

#endif
