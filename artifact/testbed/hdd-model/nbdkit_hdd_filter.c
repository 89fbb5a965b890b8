/* SPDX-License-Identifier: MIT */
/*
 * nbdkit filter: the plugin below it does the real I/O on the real data; this filter then holds
 * each reply until the hard disk model (hdd_model.c) says the drive would have completed the
 * command. One model for the whole export (one spindle), so requests are serialized.
 *
 *   nbdkit --filter=.../nbdkit-hdd-filter.so file disk.img \
 *       hdd-scale=1 hdd-write-cache=on hdd-stats=/path/stats.json
 *
 * hdd-scale=K multiplies every time of the model by K (K > 1: a slower disk). hdd-stats names a
 * file written when nbdkit exits: the model's counters and how often the real I/O itself took
 * longer than the modelled drive (then the reply is late by that much, never early).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NBDKIT_API_VERSION 2
#include <nbdkit-filter.h>

#include "hdd_model.h"

static struct hdd_params params;
static double scale = 1.0;
static int write_cache = 1;
static const char *stats_path;

static struct hdd_model model;
static pthread_mutex_t model_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t late_replies;
static double late_ns;

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void sleep_until(double deadline_ns) {
    struct timespec ts = {.tv_sec = (time_t)(deadline_ns / 1e9)};
    ts.tv_nsec = (long)(deadline_ns - (double)ts.tv_sec * 1e9);
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR) {
    }
}

static int hdd_config(nbdkit_next_config *next, nbdkit_backend *nxdata, const char *key, const char *value) {
    if (strcmp(key, "hdd-scale") == 0) {
        char *end;
        scale = strtod(value, &end);
        if (*end != '\0' || !(scale > 0)) {
            nbdkit_error("hdd-scale must be a number above 0, not \"%s\"", value);
            return -1;
        }
        return 0;
    }
    if (strcmp(key, "hdd-write-cache") == 0) {
        write_cache = nbdkit_parse_bool(value);
        return write_cache < 0 ? -1 : 0;
    }
    if (strcmp(key, "hdd-stats") == 0) {
        stats_path = value;
        return 0;
    }
    return next(nxdata, key, value);
}

static int hdd_config_complete(nbdkit_next_config_complete *next, nbdkit_backend *nxdata) {
    params = hdd_params_scaled(hdd_wd_scorpio_2011, scale);
    if (!write_cache) params.write_cache_bytes = 0;
    hdd_model_init(&model, &params);
    return next(nxdata);
}

static int hdd_thread_model(void) { return NBDKIT_THREAD_MODEL_SERIALIZE_ALL_REQUESTS; }

static void hdd_unload(void) {
    if (stats_path == NULL) return;
    FILE *out = fopen(stats_path, "w");
    if (out == NULL) return;
    /* The drive as modelled (after scaling), so a reader of the counters needs no copy of hdd_model.c. */
    const struct hdd_params *p = &model.params;
    fprintf(out,
            "{\"drive\":{\"rpm\":%u,\"mediaMBps\":%.4f,\"interfaceMBps\":%.4f,\"singleTrackSeekMs\":%.4f,"
            "\"fullStrokeSeekMs\":%.4f,\"readMissOverheadMs\":%.4f,\"readHitOverheadMs\":%.4f,"
            "\"writeOverheadMs\":%.4f,\"readAheadBytes\":%llu,\"writeCacheBytes\":%llu,\"capacityBytes\":%llu},",
            p->rpm, p->media_bytes_per_s / 1e6, p->interface_bytes_per_s / 1e6, p->single_track_seek_ns / 1e6,
            p->full_stroke_seek_ns / 1e6, p->read_miss_overhead_ns / 1e6, p->read_hit_overhead_ns / 1e6,
            p->write_overhead_ns / 1e6, (unsigned long long)p->read_ahead_bytes,
            (unsigned long long)p->write_cache_bytes, (unsigned long long)p->capacity_bytes);
    fprintf(out,
            "\"scale\":%g,\"writeCache\":%s,\"reads\":%llu,\"writes\":%llu,\"flushes\":%llu,"
            "\"readAheadHits\":%llu,\"seeks\":%llu,\"positioningMs\":%.3f,\"lateReplies\":%llu,\"lateMs\":%.3f}\n",
            scale, write_cache ? "true" : "false", (unsigned long long)model.stats.reads,
            (unsigned long long)model.stats.writes, (unsigned long long)model.stats.flushes,
            (unsigned long long)model.stats.read_ahead_hits, (unsigned long long)model.stats.seeks,
            model.stats.positioning_ns / 1e6, (unsigned long long)late_replies, late_ns / 1e6);
    fclose(out);
}

/* Runs the real I/O, then holds the reply until the modelled drive completes the command. */
#define MODELLED(op, offset, count, real_io)                                                                           \
    do {                                                                                                               \
        pthread_mutex_lock(&model_lock);                                                                               \
        double done = hdd_submit(&model, (op), (offset), (count), now_ns());                                           \
        int result = (real_io);                                                                                        \
        double finished = now_ns();                                                                                    \
        if (finished > done) {                                                                                         \
            late_replies++;                                                                                            \
            late_ns += finished - done;                                                                                \
        }                                                                                                              \
        pthread_mutex_unlock(&model_lock);                                                                             \
        sleep_until(done);                                                                                             \
        return result;                                                                                                 \
    } while (0)

static int hdd_pread(nbdkit_next *next, void *handle, void *buf, uint32_t count, uint64_t offset, uint32_t flags,
                     int *err) {
    (void)handle;
    MODELLED(HDD_READ, offset, count, next->pread(next, buf, count, offset, flags, err));
}

static int hdd_pwrite(nbdkit_next *next, void *handle, const void *buf, uint32_t count, uint64_t offset,
                      uint32_t flags, int *err) {
    (void)handle;
    MODELLED(HDD_WRITE, offset, count, next->pwrite(next, buf, count, offset, flags, err));
}

static int hdd_zero(nbdkit_next *next, void *handle, uint32_t count, uint64_t offset, uint32_t flags, int *err) {
    (void)handle;
    MODELLED(HDD_WRITE, offset, count, next->zero(next, count, offset, flags, err));
}

static int hdd_flush(nbdkit_next *next, void *handle, uint32_t flags, int *err) {
    (void)handle;
    MODELLED(HDD_FLUSH, 0, 0, next->flush(next, flags, err));
}

/* A 2011 hard disk has no TRIM; it spins. */
static int hdd_can_trim(nbdkit_next *next, void *handle) {
    (void)next;
    (void)handle;
    return 0;
}

static int hdd_is_rotational(nbdkit_next *next, void *handle) {
    (void)next;
    (void)handle;
    return 1;
}

static struct nbdkit_filter filter = {
    .name = "hdd",
    .longname = "hard disk timing model (netboot artifact)",
    .config = hdd_config,
    .config_complete = hdd_config_complete,
    .config_help = "hdd-scale=K        Multiply every modelled time by K (default 1).\n"
                   "hdd-write-cache=on|off  The drive's write cache (default on).\n"
                   "hdd-stats=FILE     Write the model's counters there at exit.",
    .thread_model = hdd_thread_model,
    .unload = hdd_unload,
    .pread = hdd_pread,
    .pwrite = hdd_pwrite,
    .zero = hdd_zero,
    .flush = hdd_flush,
    .can_trim = hdd_can_trim,
    .is_rotational = hdd_is_rotational,
};

NBDKIT_REGISTER_FILTER(filter)
