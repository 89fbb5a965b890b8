/* SPDX-License-Identifier: MIT */
/* Request accounting of aoe-parallel, in the formats of our vblade's acct.c
 * (server/patches/0006-request-accounting.patch), so server/accounting.ts reads either server:
 *   -a FILE  "vblade-counters v1 time_us=... read_bytes=... ... open=FLAGS", rewritten (tmp +
 *            rename) at most every 100 ms while requests arrive and within 100 ms after the last
 *   -t FILE  "# vblade-trace v1 open=FLAGS", then one line per ATA request:
 *            t_us cmd lba sectors bytes service_ns tag status error aoe_error
 * Requests finish out of order here, so trace lines come in the order answers were sent, and
 * t_us is the time the request's receive batch was read from the socket.
 * One more file, aoe-parallel's own (not vblade's):
 *   -p FILE  "aoe-parallel-stats v1 batches=N frames=N max_batch=N io_ops=N io_requests=N
 *            max_merge=N max_inflight=N max_ops_inflight=N deferred=N", written with the counters:
 *            receive batches and their frames, read/write/verify submissions to the backing store
 *            and the requests they carried (io_requests - io_ops were saved by merging), the most
 *            requests merged into one submission, the most requests and submissions in flight at
 *            once, and requests held back because they overlapped a write in flight. */
#ifndef PARALLEL_ACCT_H
#define PARALLEL_ACCT_H

#include <stdbool.h>
#include <stdint.h>

#include "target.h"

typedef struct {
    uint64_t batches, frames, max_batch;
    uint64_t io_ops, io_requests, max_merge;
    uint64_t max_inflight, max_ops_inflight, deferred;
} parallel_stats;

extern parallel_stats pstats;

/* Opens the outputs (any may be NULL); exits with a message when one cannot be written. */
void acct_init(const char *counters, const char *trace, const char *stats, const char *open_flags);
bool acct_enabled(void);
bool acct_dirty(void);
/* One ATA request answered: t_us when received (CLOCK_REALTIME), service from receipt to send. */
void acct_request(const target_result *r, uint64_t t_us, uint64_t service_ns);
/* Marks the statistics changed (written with the counters). */
void acct_touch(void);
/* After a batch (idle false) or after 100 ms without frames (idle true): rewrites when due. */
void acct_tick(uint64_t now_ns, bool idle);

uint64_t clock_ns(int clock_id);

#endif
