/* SPDX-License-Identifier: MIT */
/* Data subcommands: read, write, verify (integrity), io (benchmark) and replay (a recorded
 * stream of ATA commands, e.g. one client's boot as the server saw it). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aoe.h"
#include "pattern.h"
#include "probe.h"

#define ATA_READ_SECTORS 0x20u
#define ATA_WRITE_SECTORS 0x30u
#define ATA_READ_SECTORS_EXT 0x24u
#define ATA_WRITE_SECTORS_EXT 0x34u
#define LBA28_LIMIT (1ull << 28)

typedef struct {
    aoe_link link;
    aoe_session s;
    frame_plan *plan;
    uint64_t *rtt;
    bool lba28;
} io_channel;

/* A channel for commands of up to max_sectors, reads and writes. */
static int channel_open(const probe_args *a, uint32_t max_sectors, io_channel *c) {
    if (session_open(a, &c->link, &c->s) < 0) return -1;
    unsigned frames = exchange_frame_count(&c->s, max_sectors);
    if (frames > 65536) {
        fprintf(stderr, "aoe-probe: a request of %u sectors needs %u frames; the tag's packet index allows 65536\n",
                max_sectors, frames);
        return -1;
    }
    c->plan = calloc(frames, sizeof *c->plan);
    c->rtt = calloc(frames, sizeof *c->rtt);
    if (!c->plan || !c->rtt) abort();
    c->lba28 = a->o->lba28;
    return 0;
}

/* One ATA command of sectors at lba, split into frames. */
static int channel_request(io_channel *c, bool write, uint64_t lba, uint32_t sectors, uint8_t *data, ata_exchange *x) {
    exchange_plan_io(&c->s, lba, sectors, write, c->plan);
    /* LBA28 commands carry the device register's LBA mode bit in byte 3 (as a disk expects). */
    if (c->lba28)
        for (unsigned i = 0; i < exchange_frame_count(&c->s, sectors); i++) c->plan[i].lba |= 0xE0000000ull;
    uint8_t command = write ? (c->lba28 ? ATA_WRITE_SECTORS : ATA_WRITE_SECTORS_EXT)
                            : (c->lba28 ? ATA_READ_SECTORS : ATA_READ_SECTORS_EXT);
    *x = (ata_exchange){ .command = command,
                         .aflags = (uint8_t)((c->lba28 ? 0 : AOE_AFLAG_EXT) | (write ? AOE_AFLAG_WRITE : 0)),
                         .frames = c->plan,
                         .nframes = exchange_frame_count(&c->s, sectors),
                         .data = data,
                         .rtt_ns = c->rtt };
    return exchange_run(&c->s, x);
}

static int check_range(const probe_args *a) {
    static const enum probe_opt_id needed[] = { O_LBA, O_SECTORS };
    if (require(a, needed, 2, "read/write/verify") < 0) return -1;
    if (a->o->sectors == 0) {
        fprintf(stderr, "aoe-probe: --sectors must be at least 1\n");
        return -1;
    }
    if (a->o->lba28 && a->o->lba + a->o->sectors > LBA28_LIMIT) {
        fprintf(stderr, "aoe-probe: --lba28 reaches only sectors below 2^28; drop --lba28 for LBA48 commands\n");
        return -1;
    }
    return 0;
}

static int load_file(const char *path, uint8_t *buf, size_t len) {
    FILE *f = fopen(path, "rb");
    if (!f || fread(buf, 1, len, f) != len) {
        fprintf(stderr, "aoe-probe: cannot read %zu bytes from %s\n", len, path);
        if (f) fclose(f);
        return -1;
    }
    fclose(f);
    return 0;
}

static int store_file(const char *path, const uint8_t *buf, size_t len) {
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(buf, 1, len, f) != len || fclose(f) != 0) {
        fprintf(stderr, "aoe-probe: cannot write %s\n", path);
        return -1;
    }
    return 0;
}

/* read, write and verify: one ATA command for the whole range. */
static int transfer(const probe_args *a, bool write, bool verify) {
    const probe_opts *o = a->o;
    if (check_range(a) < 0) return 2;
    if (write && o->in && a->seen[O_SEED]) {
        fprintf(stderr, "aoe-probe write: give either --in FILE or --seed, not both\n");
        return 2;
    }
    io_channel c;
    if (channel_open(a, (uint32_t)o->sectors, &c) < 0) return 1;
    size_t len = (size_t)o->sectors * 512;
    uint8_t *data = calloc(1, len);
    if (!data) abort();
    if (write && o->in && load_file(o->in, data, len) < 0) return 1;
    if (write && !o->in) pattern_fill(data, o->lba, (uint32_t)o->sectors, o->seed);
    ata_exchange x;
    uint64_t t0 = now_ns();
    int r = channel_request(&c, write, o->lba, (uint32_t)o->sectors, data, &x);
    uint64_t elapsed = now_ns() - t0;
    if (r != EXCHANGE_OK) {
        print_exchange_error(write ? "write" : "read", r, &x);
        return 1;
    }
    if (!write && o->out && store_file(o->out, data, len) < 0) return 1;
    long mismatched = -1;
    if (verify || (!write && a->seen[O_SEED]))
        mismatched = pattern_mismatches(data, o->lba, (uint32_t)o->sectors, o->seed);
    printf("{\"event\":\"%s\",\"lba\":%llu,\"sectors\":%llu,\"bytes\":%zu,\"usecs\":%.1f,\"frames\":%u,\"spf\":%u,"
           "\"retransmits\":%llu,\"stray_frames\":%llu,\"mismatched_sectors\":%ld}\n",
           verify      ? "verify"
               : write ? "write"
                       : "read",
           (unsigned long long)o->lba, (unsigned long long)o->sectors, len, elapsed / 1e3, x.nframes,
           c.s.sectors_per_frame, (unsigned long long)c.s.retransmits, (unsigned long long)c.s.stray_frames,
           mismatched);
    free(data);
    return mismatched > 0 ? 1 : 0;
}

int cmd_read(const probe_args *a) { return transfer(a, false, false); }
int cmd_write(const probe_args *a) { return transfer(a, true, false); }
int cmd_verify(const probe_args *a) {
    if (!a->seen[O_SEED]) {
        fprintf(stderr, "aoe-probe verify: --seed is required (the seed the data was written with)\n");
        return 2;
    }
    return transfer(a, false, true);
}

static int compare_u64(const void *x, const void *y) {
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

/* Benchmark: --requests requests of --bs bytes, one at a time (QD1, as an IDE disk), each
 * with up to --window frames in flight. */
int cmd_io(const probe_args *a) {
    const probe_opts *o = a->o;
    static const enum probe_opt_id needed[] = { O_OP, O_BS, O_REQUESTS, O_SPAN };
    if (require(a, needed, 4, "io") < 0) return 2;
    bool write = strcmp(o->op, "write") == 0, random = strcmp(o->pattern, "rand") == 0;
    if ((!write && strcmp(o->op, "read") != 0) || (!random && strcmp(o->pattern, "seq") != 0)) {
        fprintf(stderr, "aoe-probe io: --op is read or write, --pattern is seq or rand\n");
        return 2;
    }
    uint32_t sectors = (uint32_t)(o->bs / 512);
    if (o->bs == 0 || o->bs % 512 || o->span < sectors || o->requests == 0) {
        fprintf(
            stderr,
            "aoe-probe io: --bs must be a non-zero multiple of 512, --span (sectors) at least --bs/512, --requests >= 1\n");
        return 2;
    }
    io_channel c;
    if (channel_open(a, sectors, &c) < 0) return 1;
    unsigned frames = exchange_frame_count(&c.s, sectors);
    uint8_t *data = calloc(1, o->bs);
    uint64_t *latency = calloc(o->requests, sizeof *latency);
    double *rtt_sum = calloc(frames, sizeof *rtt_sum);
    uint64_t *rtt_n = calloc(frames, sizeof *rtt_n);
    if (!data || !latency || !rtt_sum || !rtt_n) abort();
    pattern_fill(data, 0, sectors, o->seed);
    uint64_t rng = o->seed, slots = o->span / sectors, t0 = now_ns();
    for (uint64_t r = 0; r < o->requests; r++) {
        uint64_t slot = random ? splitmix64(&rng) % slots : r % slots;
        ata_exchange x;
        uint64_t start = now_ns();
        int res = channel_request(&c, write, o->lba + slot * sectors, sectors, data, &x);
        latency[r] = now_ns() - start;
        if (res != EXCHANGE_OK) {
            print_exchange_error(o->op, res, &x);
            return 1;
        }
        for (unsigned i = 0; o->rtt && i < frames; i++)
            if (c.rtt[i]) rtt_sum[i] += (double)c.rtt[i], rtt_n[i]++;
    }
    double seconds = (now_ns() - t0) / 1e9, bytes = (double)o->bs * (double)o->requests;
    for (unsigned i = 0; o->rtt && i < frames; i++)
        printf("{\"event\":\"rtt\",\"index\":%u,\"mean_us\":%.2f,\"samples\":%llu}\n", i,
               rtt_n[i] ? rtt_sum[i] / rtt_n[i] / 1e3 : 0.0, (unsigned long long)rtt_n[i]);
    double mean = 0;
    for (uint64_t r = 0; r < o->requests; r++) mean += (double)latency[r];
    mean /= (double)o->requests;
    qsort(latency, o->requests, sizeof *latency, compare_u64);
    printf("{\"event\":\"io\",\"op\":\"%s\",\"pattern\":\"%s\",\"bs\":%llu,\"requests\":%llu,\"window\":%u,\"spf\":%u,"
           "\"mtu\":%u,\"seconds\":%.4f,\"MBps\":%.2f,\"iops\":%.1f,\"mean_latency_us\":%.1f,\"p50_latency_us\":%.1f,"
           "\"p99_latency_us\":%.1f,\"retransmits\":%llu,\"stray_frames\":%llu,\"target_buffer_count\":%u}\n",
           o->op, o->pattern, (unsigned long long)o->bs, (unsigned long long)o->requests, c.s.window,
           c.s.sectors_per_frame, c.link.mtu, seconds, bytes / seconds / 1e6, o->requests / seconds, mean / 1e3,
           latency[o->requests / 2] / 1e3, latency[(o->requests * 99) / 100] / 1e3, (unsigned long long)c.s.retransmits,
           (unsigned long long)c.s.stray_frames, c.s.target.buffer_count);
    return 0;
}

/* rtt: the paper's Fig. 8 measurement: io --rtt, reading 1 MiB requests unless told otherwise. */
int cmd_rtt(const probe_args *a) {
    probe_opts o = *a->o;
    bool seen[O_COUNT_OF_OPTIONS];
    memcpy(seen, a->seen, sizeof seen);
    if (!seen[O_OP]) o.op = "read";
    if (!seen[O_BS]) o.bs = 1u << 20;
    if (!seen[O_REQUESTS]) o.requests = 100;
    o.rtt = true;
    seen[O_OP] = seen[O_BS] = seen[O_REQUESTS] = seen[O_RTT] = true;
    probe_args with_defaults = { .o = &o, .seen = seen };
    return cmd_io(&with_defaults);
}

/* One command of a replay stream. */
typedef struct {
    uint64_t gap_us; /* the client's own time before it: from the previous command's end */
    bool write;
    uint64_t lba;
    uint32_t sectors;
} replay_command;

/* Reads a replay stream: "# aoe-replay v1", then one command per line, "GAP_US r|w LBA SECTORS"
 * (server/boot-stream.ts writes it from a server trace). Returns the count, or -1 with a message. */
static long load_stream(const char *path, replay_command **out, uint32_t *max_sectors) {
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "aoe-probe replay: cannot open %s: %s\n", path, strerror(errno));
        return -1;
    }
    char line[256];
    long n = 0, cap = 0, number = 0;
    replay_command *v = NULL;
    *max_sectors = 0;
    bool header = false;
    while (fgets(line, sizeof line, f)) {
        number++;
        if (number == 1) {
            header = strcmp(line, "# aoe-replay v1\n") == 0;
            if (!header) break;
            continue;
        }
        if (line[0] == '#' || line[0] == '\n') continue;
        unsigned long long gap, lba;
        unsigned sectors;
        char op;
        int used = 0;
        if (sscanf(line, "%llu %c %llu %u%n", &gap, &op, &lba, &sectors, &used) != 4 || (op != 'r' && op != 'w') ||
            sectors == 0 || (line[used] != '\n' && line[used] != '\0')) {
            fprintf(stderr, "aoe-probe replay: %s line %ld is not 'GAP_US r|w LBA SECTORS': %s", path, number, line);
            free(v);
            fclose(f);
            return -1;
        }
        if (n == cap) {
            cap = cap ? 2 * cap : 1024;
            v = realloc(v, (size_t)cap * sizeof *v);
            if (!v) abort();
        }
        v[n++] = (replay_command){ gap, op == 'w', lba, sectors };
        if (sectors > *max_sectors) *max_sectors = sectors;
    }
    fclose(f);
    if (!header) {
        fprintf(stderr, "aoe-probe replay: %s does not start with '# aoe-replay v1'\n", path);
        free(v);
        return -1;
    }
    if (n == 0) {
        fprintf(stderr, "aoe-probe replay: %s has no commands\n", path);
        free(v);
        return -1;
    }
    *out = v;
    return n;
}

static void sleep_us(uint64_t us) {
    struct timespec ts = { .tv_sec = (time_t)(us / 1000000u), .tv_nsec = (long)(us % 1000000u) * 1000 };
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {}
}

/* replay: the stream's commands one at a time (QD1, as the hypervisor's IDE disk), each after
 * its recorded gap, so the server sees the client's load as it came. Written data is the --seed
 * pattern. Prints the time in commands ("disk") and in gaps, and the whole run's. */
int cmd_replay(const probe_args *a) {
    const probe_opts *o = a->o;
    static const enum probe_opt_id needed[] = { O_IN };
    if (require(a, needed, 1, "replay") < 0) return 2;
    replay_command *cmds;
    uint32_t max_sectors;
    long n = load_stream(o->in, &cmds, &max_sectors);
    if (n < 0) return 2;
    io_channel c;
    if (channel_open(a, max_sectors, &c) < 0) return 1;
    uint8_t *data = calloc(max_sectors, 512);
    if (!data) abort();
    uint64_t disk_ns = 0, gaps_us = 0, read = 0, written = 0, t0 = now_ns();
    for (long i = 0; i < n; i++) {
        const replay_command *r = &cmds[i];
        sleep_us(r->gap_us);
        gaps_us += r->gap_us;
        if (r->write) pattern_fill(data, r->lba, r->sectors, o->seed);
        ata_exchange x;
        uint64_t start = now_ns();
        int res = channel_request(&c, r->write, r->lba, r->sectors, data, &x);
        disk_ns += now_ns() - start;
        if (res != EXCHANGE_OK) {
            fprintf(stderr, "aoe-probe replay: command %ld of %ld (%c %llu+%u) failed\n", i + 1, n,
                    r->write ? 'w' : 'r', (unsigned long long)r->lba, r->sectors);
            print_exchange_error(r->write ? "write" : "read", res, &x);
            return 1;
        }
        *(r->write ? &written : &read) += r->sectors;
    }
    printf("{\"event\":\"replay\",\"commands\":%ld,\"sectors_read\":%llu,\"sectors_written\":%llu,\"disk_us\":%.1f,"
           "\"gaps_us\":%llu,\"elapsed_us\":%.1f,\"retransmits\":%llu,\"window\":%u,\"spf\":%u}\n",
           n, (unsigned long long)read, (unsigned long long)written, disk_ns / 1e3, (unsigned long long)gaps_us,
           (now_ns() - t0) / 1e3, (unsigned long long)c.s.retransmits, c.s.window, c.s.sectors_per_frame);
    free(cmds);
    free(data);
    return 0;
}
