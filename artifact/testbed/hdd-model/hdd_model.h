/* SPDX-License-Identifier: MIT */
/*
 * A mechanical hard disk as a timing model: seek by distance, rotational position, media
 * transfer rate, a read-ahead buffer and a write cache. It moves no data: given when a command
 * arrives, it says when the drive would complete it, and keeps the drive's state (head position,
 * the platter's angle, queued media work). The nbdkit filter beside it (nbdkit_hdd_filter.c)
 * delays real I/O on real data by these times; the host unit tests (test/hdd_model_test.c) check
 * the model alone.
 *
 * Simplifications, each stated where it matters: one zone (the media rate of the outer tracks,
 * where a small image sits), no head switches (track skew hides them in a sequential stream), the
 * same seek curve for reads and writes, no reordering of queued writes.
 */
#ifndef HDD_MODEL_H
#define HDD_MODEL_H

#include <stdint.h>

struct hdd_params {
    uint64_t capacity_bytes;        /* the modelled drive's size: seek distances are fractions of it */
    uint32_t rpm;                   /* spindle speed */
    double media_bytes_per_s;       /* sustained rate under the head (one track per revolution) */
    double interface_bytes_per_s;   /* buffer to host */
    double single_track_seek_ns;    /* seek to the adjacent track, settling included */
    double full_stroke_seek_ns;     /* seek across the whole disk */
    /* The drive's firmware per command, until data moves or the seek starts: */
    double read_miss_overhead_ns;   /* a read that needs the platter */
    double read_hit_overhead_ns;    /* a read whose first bytes are in the buffer */
    double write_overhead_ns;       /* a write (and a flush) */
    uint64_t read_ahead_bytes;      /* how far the drive reads on past a read while idle */
    uint64_t write_cache_bytes;     /* 0: write cache off (a write completes on the media) */
};

/* The paper's client disk (Table 1): a WD Scorpio 80 GB 2.5" 5400 rpm drive. Sources in hdd_model.c. */
extern const struct hdd_params hdd_wd_scorpio_2011;

/* Every time of the model multiplied by k (rates divided by k): k > 1 is a slower disk. */
struct hdd_params hdd_params_scaled(struct hdd_params params, double k);

enum hdd_op { HDD_READ, HDD_WRITE, HDD_FLUSH };

struct hdd_stats {
    uint64_t reads, writes, flushes;
    uint64_t read_ahead_hits;  /* reads served wholly from the read-ahead buffer */
    uint64_t seeks;            /* positionings that moved the head to another track */
    double positioning_ns;     /* time spent seeking and waiting for rotation */
};

struct hdd_model {
    struct hdd_params params;
    double rev_ns;           /* one revolution */
    double track_bytes;      /* bytes passing under the head per revolution */
    double tracks;           /* capacity in tracks */
    double mech_free_ns;     /* when the mechanism has finished all queued media work */
    uint64_t head_pos;       /* the byte the head reaches next once the mechanism is free */
    /* Read-ahead: after a read the head streams on from stream_pos (at stream_since), at most
     * read_ahead_bytes past what the host has consumed (consumed_end). Writes end it. */
    int read_ahead_valid;
    uint64_t stream_pos;
    double stream_since_ns;
    uint64_t consumed_end;
    struct hdd_stats stats;
};

void hdd_model_init(struct hdd_model *model, const struct hdd_params *params);

/*
 * A command of `len` bytes at byte `offset` arriving at `now_ns` (a monotonic clock; commands in
 * arrival order, one at a time as on a drive without command queuing). Returns when the host
 * sees it complete, in the same clock.
 */
double hdd_submit(struct hdd_model *model, enum hdd_op op, uint64_t offset, uint64_t len, double now_ns);

/* Seek time for a distance of `tracks` tracks (0: none), exposed for the tests. */
double hdd_seek_ns(const struct hdd_model *model, double tracks);

#endif
