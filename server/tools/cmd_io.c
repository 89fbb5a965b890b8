/* SPDX-License-Identifier: MIT */
/* Data subcommands: read, write, verify (integrity) and io (benchmark). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    uint8_t command, aflags;
} io_channel;

static int channel_open(const probe_args *a, bool write, uint32_t max_sectors, io_channel *c) {
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
    bool lba28 = a->o->lba28;
    c->command =
        write ? (lba28 ? ATA_WRITE_SECTORS : ATA_WRITE_SECTORS_EXT) : (lba28 ? ATA_READ_SECTORS : ATA_READ_SECTORS_EXT);
    c->aflags = (uint8_t)((lba28 ? 0 : AOE_AFLAG_EXT) | (write ? AOE_AFLAG_WRITE : 0));
    return 0;
}

/* One ATA command of sectors at lba, split into frames. */
static int channel_request(io_channel *c, bool write, uint64_t lba, uint32_t sectors, uint8_t *data, ata_exchange *x) {
    exchange_plan_io(&c->s, lba, sectors, write, c->plan);
    /* LBA28 commands carry the device register's LBA mode bit in byte 3 (as a disk expects). */
    if (!(c->aflags & AOE_AFLAG_EXT))
        for (unsigned i = 0; i < exchange_frame_count(&c->s, sectors); i++) c->plan[i].lba |= 0xE0000000ull;
    *x = (ata_exchange){ .command = c->command,
                         .aflags = c->aflags,
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
    if (channel_open(a, write, (uint32_t)o->sectors, &c) < 0) return 1;
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
    if (channel_open(a, write, sectors, &c) < 0) return 1;
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
