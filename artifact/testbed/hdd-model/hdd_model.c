/* SPDX-License-Identifier: MIT */
#include "hdd_model.h"

#include <math.h>

/*
 * The paper's Table 1 names the drive (WD Scorpio 80 GB, 2.5", SATA 1.5 Gb/s, 2.5 MB cache);
 * its Fig. 5 local row gives the sustained rate (45.8 MB/s sequential read). WD rated the Scorpio
 * line at 12 ms average read seek; the seek curve's end points are those of a 2.5" 5400 rpm
 * drive of the same years with a published OEM specification (Hitachi Travelstar 5K320: single
 * track 1.0 ms, full stroke 20 ms, average 12 ms, 11.1 ms per revolution). A square-root curve
 * through those end points averages 11.1 ms over random pairs of tracks. The command overheads
 * are Hitachi's for its SATA drives of 2011 (Deskstar 7K3000 OEM specification, Table 5 "Command
 * overhead", drive quiescent: read cache miss 0.5 ms, read cache hit 0.1 ms, write 0.015 ms); the
 * 5K320's specification gives none, and WD published none for the Scorpio.
 */
const struct hdd_params hdd_wd_scorpio_2011 = {
    .capacity_bytes = 80000000000ULL,
    .rpm = 5400,
    .media_bytes_per_s = 46.0e6,
    .interface_bytes_per_s = 150.0e6,
    .single_track_seek_ns = 1.0e6,
    .full_stroke_seek_ns = 20.0e6,
    .read_miss_overhead_ns = 0.5e6,
    .read_hit_overhead_ns = 0.1e6,
    .write_overhead_ns = 0.015e6,
    .read_ahead_bytes = 2621440,
    .write_cache_bytes = 2621440,
};

struct hdd_params hdd_params_scaled(struct hdd_params params, double k) {
    params.rpm = (uint32_t)lround(params.rpm / k);
    params.media_bytes_per_s /= k;
    params.interface_bytes_per_s /= k;
    params.single_track_seek_ns *= k;
    params.full_stroke_seek_ns *= k;
    params.read_miss_overhead_ns *= k;
    params.read_hit_overhead_ns *= k;
    params.write_overhead_ns *= k;
    return params;
}

void hdd_model_init(struct hdd_model *model, const struct hdd_params *params) {
    *model = (struct hdd_model){.params = *params};
    model->rev_ns = 60.0e9 / params->rpm;
    model->track_bytes = params->media_bytes_per_s * model->rev_ns / 1e9;
    model->tracks = (double)params->capacity_bytes / model->track_bytes;
}

static double track_of(const struct hdd_model *model, uint64_t offset) {
    return floor((double)offset / model->track_bytes);
}

double hdd_seek_ns(const struct hdd_model *model, double tracks) {
    const struct hdd_params *p = &model->params;
    if (tracks <= 0) return 0;
    double span = model->tracks > 1 ? (tracks - 1) / (model->tracks - 1) : 0;
    if (span > 1) span = 1;
    return p->single_track_seek_ns + (p->full_stroke_seek_ns - p->single_track_seek_ns) * sqrt(span);
}

/* The fraction of a revolution at which `offset` passes under the head. */
static double angle_of(const struct hdd_model *model, uint64_t offset) {
    double bytes = fmod((double)offset, model->track_bytes);
    return bytes / model->track_bytes;
}

/* The platter turns whether or not the drive works: the angle under the head at time t. */
static double head_angle(const struct hdd_model *model, double t_ns) {
    return fmod(t_ns, model->rev_ns) / model->rev_ns;
}

/* Moves the head to `offset` starting at `t_ns`; returns when `offset` is under it. */
static double position(struct hdd_model *model, uint64_t offset, double t_ns) {
    double start = t_ns;
    if (offset != model->head_pos) {
        double distance = fabs(track_of(model, offset) - track_of(model, model->head_pos));
        if (distance > 0) model->stats.seeks++;
        t_ns += hdd_seek_ns(model, distance);
    }
    double wait = angle_of(model, offset) - head_angle(model, t_ns);
    if (wait < 0) wait += 1;
    /* A stream that continues exactly where the head is must not lose a turn to rounding. */
    if (wait > 1 - 1e-6) wait = 0;
    t_ns += wait * model->rev_ns;
    model->stats.positioning_ns += t_ns - start;
    return t_ns;
}

/* Where the read-ahead stream has got to by time t (it stops read_ahead_bytes past what the host consumed). */
static uint64_t streamed_to(const struct hdd_model *model, double t_ns) {
    double ahead = (t_ns - model->stream_since_ns) * model->params.media_bytes_per_s / 1e9;
    uint64_t pos = model->stream_pos + (ahead > 0 ? (uint64_t)ahead : 0);
    uint64_t cap = model->consumed_end + model->params.read_ahead_bytes;
    return pos < cap ? pos : cap;
}

static double media_ns(const struct hdd_model *model, uint64_t len) {
    return (double)len * 1e9 / model->params.media_bytes_per_s;
}

static double read_command(struct hdd_model *model, uint64_t offset, uint64_t len, double now_ns) {
    const struct hdd_params *p = &model->params;
    double start = now_ns > model->mech_free_ns ? now_ns : model->mech_free_ns;
    double t = start + p->read_hit_overhead_ns; /* when the firmware has looked in its buffer */
    uint64_t from_media = offset; /* the first byte that must still come off the platter */
    model->stats.reads++;
    if (model->read_ahead_valid && offset >= model->consumed_end && offset < streamed_to(model, t)) {
        uint64_t buffered_end = streamed_to(model, t);
        int stream_stopped = buffered_end == model->consumed_end + p->read_ahead_bytes;
        if (offset + len <= buffered_end) {
            model->stats.read_ahead_hits++;
            if (stream_stopped) { /* the freed buffer lets it resume, from here and now */
                model->stream_pos = buffered_end;
                model->stream_since_ns = t;
            }
            model->consumed_end = offset + len;
            return t + (double)len * 1e9 / p->interface_bytes_per_s;
        }
        if (!stream_stopped) { /* the tail arrives as the running stream reaches it */
            double done = model->stream_since_ns + media_ns(model, offset + len - model->stream_pos);
            model->mech_free_ns = done;
            model->head_pos = offset + len;
            model->stream_pos = offset + len;
            model->stream_since_ns = done;
            model->consumed_end = offset + len;
            return done;
        }
        /* The stream stopped at its cap: the rest follows once its first sector comes round again. */
        from_media = buffered_end;
        model->head_pos = buffered_end;
    }
    /* A miss: the firmware sets up a seek. */
    t = start + p->read_miss_overhead_ns;
    double done = position(model, from_media, t) + media_ns(model, offset + len - from_media);
    model->mech_free_ns = done;
    model->head_pos = offset + len;
    model->read_ahead_valid = p->read_ahead_bytes > 0;
    model->stream_pos = offset + len;
    model->stream_since_ns = done;
    model->consumed_end = offset + len;
    return done;
}

static double write_command(struct hdd_model *model, uint64_t offset, uint64_t len, double now_ns) {
    const struct hdd_params *p = &model->params;
    double t = now_ns + p->write_overhead_ns;
    model->stats.writes++;
    model->read_ahead_valid = 0;
    double start = position(model, offset, t > model->mech_free_ns ? t : model->mech_free_ns);
    double on_media = start + media_ns(model, len);
    model->mech_free_ns = on_media;
    model->head_pos = offset + len;
    if (p->write_cache_bytes == 0) return on_media;
    /* Cached: complete once the data is in the buffer and the backlog behind it fits there. */
    double accepted = t + (double)len * 1e9 / p->interface_bytes_per_s;
    double fits = on_media - media_ns(model, p->write_cache_bytes);
    return accepted > fits ? accepted : fits;
}

double hdd_submit(struct hdd_model *model, enum hdd_op op, uint64_t offset, uint64_t len, double now_ns) {
    switch (op) {
    case HDD_READ:
        return read_command(model, offset, len, now_ns);
    case HDD_WRITE:
        return write_command(model, offset, len, now_ns);
    case HDD_FLUSH:
    default:
        model->stats.flushes++;
        return (now_ns > model->mech_free_ns ? now_ns : model->mech_free_ns) + model->params.write_overhead_ns;
    }
}
