/* SPDX-License-Identifier: MIT */
/* Counters, trace and statistics files of aoe-parallel (formats in acct.h). */
#define _GNU_SOURCE
#include "acct.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define INTERVAL_NS 100000000ull /* between counter rewrites */

parallel_stats pstats;

static struct {
    char *counters, *counters_tmp, *stats, *stats_tmp;
    FILE *trace;
    const char *open_flags;
    uint64_t last_write;
    bool dirty;
    uint64_t rbytes, wbytes, rcmds, wcmds, flushes, others, errors;
} a;

uint64_t clock_ns(int clock_id) {
    struct timespec ts;
    clock_gettime((clockid_t)clock_id, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Writes path via path.tmp and rename, so a reader never sees half a line. */
static void replace(const char *path, const char *tmp, const char *line) {
    FILE *f = fopen(tmp, "w");
    if (!f) {
        perror(tmp);
        return;
    }
    fputs(line, f);
    if (fclose(f) != 0 || rename(tmp, path) != 0) perror(path);
}

static void write_files(void) {
    char line[512];
    if (a.counters) {
        snprintf(line, sizeof line,
                 "vblade-counters v1 time_us=%llu read_bytes=%llu write_bytes=%llu read_cmds=%llu write_cmds=%llu "
                 "flushes=%llu other_cmds=%llu errors=%llu open=%s\n",
                 (unsigned long long)(clock_ns(CLOCK_REALTIME) / 1000), (unsigned long long)a.rbytes,
                 (unsigned long long)a.wbytes, (unsigned long long)a.rcmds, (unsigned long long)a.wcmds,
                 (unsigned long long)a.flushes, (unsigned long long)a.others, (unsigned long long)a.errors,
                 a.open_flags);
        replace(a.counters, a.counters_tmp, line);
    }
    if (a.stats) {
        snprintf(line, sizeof line,
                 "aoe-parallel-stats v1 batches=%llu frames=%llu max_batch=%llu io_ops=%llu io_requests=%llu "
                 "max_merge=%llu max_inflight=%llu max_ops_inflight=%llu deferred=%llu\n",
                 (unsigned long long)pstats.batches, (unsigned long long)pstats.frames,
                 (unsigned long long)pstats.max_batch, (unsigned long long)pstats.io_ops,
                 (unsigned long long)pstats.io_requests, (unsigned long long)pstats.max_merge,
                 (unsigned long long)pstats.max_inflight, (unsigned long long)pstats.max_ops_inflight,
                 (unsigned long long)pstats.deferred);
        replace(a.stats, a.stats_tmp, line);
    }
}

static char *tmp_name(const char *path) {
    char *tmp;
    if (asprintf(&tmp, "%s.tmp", path) < 0) {
        perror("asprintf");
        exit(1);
    }
    return tmp;
}

void acct_init(const char *counters, const char *trace, const char *stats, const char *open_flags) {
    a.open_flags = open_flags;
    if (trace) {
        a.trace = fopen(trace, "w");
        if (!a.trace) {
            perror(trace);
            exit(1);
        }
        setvbuf(a.trace, NULL, _IOFBF, 1 << 20);
        fprintf(a.trace,
                "# vblade-trace v1 open=%s\n# t_us cmd lba sectors bytes service_ns tag status error aoe_error\n",
                open_flags);
        fflush(a.trace);
    }
    if (counters) {
        a.counters = (char *)counters;
        a.counters_tmp = tmp_name(counters);
    }
    if (stats) {
        a.stats = (char *)stats;
        a.stats_tmp = tmp_name(stats);
    }
    write_files();
    a.last_write = clock_ns(CLOCK_MONOTONIC);
}

bool acct_enabled(void) { return a.counters || a.trace || a.stats; }
bool acct_dirty(void) { return a.dirty; }
void acct_touch(void) { a.dirty = true; }

/* Decimal and hex by hand: fprintf per line costs more than the rest of a request's accounting. */
static char *dec(char *p, unsigned long long v, char sep) {
    char tmp[20];
    int n = 0;
    do tmp[n++] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    while (n > 0) *p++ = tmp[--n];
    *p++ = sep;
    return p;
}

static char *hex(char *p, unsigned long v, int digits, char sep) {
    while (digits-- > 0) *p++ = "0123456789abcdef"[(v >> (4 * digits)) & 0xf];
    *p++ = sep;
    return p;
}

void acct_request(const target_result *r, uint64_t t_us, uint64_t service_ns) {
    const ata_regs *g = &r->regs;
    switch (g->dir) {
    case 'r':
        a.rbytes += g->nbytes;
        a.rcmds++;
        break;
    case 'w':
        a.wbytes += g->nbytes;
        a.wcmds++;
        break;
    case 'f': a.flushes++; break;
    default: a.others++;
    }
    if (r->aoe_error || (g->status & 1)) a.errors++;
    a.dirty = true;
    if (!a.trace) return;
    char line[160], *p = line;
    p = dec(p, t_us, ' ');
    p = hex(p, g->cmd, 2, ' ');
    p = dec(p, r->req_lba, ' ');
    p = dec(p, r->req_sectors, ' ');
    p = dec(p, g->nbytes, ' ');
    p = dec(p, service_ns, ' ');
    p = hex(p, r->tag, 8, ' ');
    p = hex(p, g->status, 2, ' ');
    p = hex(p, g->err, 2, ' ');
    p = dec(p, r->aoe_error, '\n');
    fwrite(line, 1, (size_t)(p - line), a.trace);
}

void acct_tick(uint64_t now_ns, bool idle) {
    if (!a.dirty) return;
    if (!idle && now_ns - a.last_write < INTERVAL_NS) return;
    write_files();
    if (a.trace) fflush(a.trace);
    a.last_write = now_ns;
    a.dirty = false;
}
