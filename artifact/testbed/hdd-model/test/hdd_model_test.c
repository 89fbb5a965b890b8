/* SPDX-License-Identifier: MIT */
/* Host unit tests of the hard disk timing model (hdd_model.c), on the paper's drive. */
#include <math.h>

#include "hdd_model.h"
#include "random/splitmix64.h"
#include "tap.h"

#define MIB (1024ULL * 1024ULL)
#define CHECK_NEAR(actual, expected, relative)                                                                         \
    do {                                                                                                               \
        double near_a = (actual), near_e = (expected);                                                                 \
        if (fabs(near_a - near_e) > fabs(near_e) * (relative)) {                                                       \
            tap_case_failures++;                                                                                       \
            printf("# %s:%d: %s == %.6g, expected %.6g +- %g %%\n", __FILE__, __LINE__, #actual, near_a, near_e,       \
                   (relative) * 100);                                                                                  \
        }                                                                                                              \
    } while (0)

static struct hdd_model drive(struct hdd_params params) {
    struct hdd_model model;
    hdd_model_init(&model, &params);
    return model;
}

/* QD1 host: each command is issued `gap_ns` after the previous one completed; returns the last completion. */
static double run_sequence(struct hdd_model *model, enum hdd_op op, const uint64_t *offsets, int count, uint64_t len,
                           double start_ns, double gap_ns) {
    double t = start_ns;
    for (int i = 0; i < count; i++) t = hdd_submit(model, op, offsets[i], len, t) + gap_ns;
    return t - gap_ns;
}

static void seek_curve_runs_from_single_track_to_full_stroke(void) {
    struct hdd_model model = drive(hdd_wd_scorpio_2011);
    CHECK(hdd_seek_ns(&model, 0) == 0);
    CHECK_NEAR(hdd_seek_ns(&model, 1), 1.0e6, 1e-9);
    CHECK_NEAR(hdd_seek_ns(&model, model.tracks), 20.0e6, 1e-9);
    double previous = 0;
    for (double d = 1; d < model.tracks; d *= 3) {
        CHECK(hdd_seek_ns(&model, d) > previous);
        previous = hdd_seek_ns(&model, d);
    }
    /* 80 GB at 46 MB/s and 5400 rpm: 511 111 bytes a track, 156 522 tracks. */
    CHECK_NEAR(model.track_bytes, 511111.1, 1e-6);
    CHECK_NEAR(model.rev_ns, 11.111e6, 1e-3);
}

static void sequential_reads_stream_at_the_media_rate(void) {
    struct hdd_model model = drive(hdd_wd_scorpio_2011);
    enum { COUNT = 256 };
    uint64_t offsets[COUNT];
    for (int i = 0; i < COUNT; i++) offsets[i] = (uint64_t)i * MIB;
    double first = hdd_submit(&model, HDD_READ, offsets[0], MIB, 0);
    /* The host takes 0.2 ms between commands; the drive reads on meanwhile. */
    double last = run_sequence(&model, HDD_READ, offsets + 1, COUNT - 1, MIB, first + 0.2e6, 0.2e6);
    double rate = (COUNT - 1) * (double)MIB / ((last - first) / 1e9);
    CHECK_NEAR(rate, 46.0e6, 0.02);
    CHECK(model.stats.seeks == 0);
}

static void random_4k_reads_are_seek_and_rotation_bound(void) {
    struct hdd_model model = drive(hdd_wd_scorpio_2011);
    enum { COUNT = 4000 };
    static uint64_t offsets[COUNT];
    uint64_t seed = 42;
    for (int i = 0; i < COUNT; i++) offsets[i] = splitmix64(&seed) % (80000000000ULL / 4096) * 4096;
    double last = run_sequence(&model, HDD_READ, offsets, COUNT, 4096, 0, 0.1e6);
    double per_command = (last - (COUNT - 1) * 0.1e6) / COUNT;
    /* Average seek over random pairs (1 + 19 * 8/15 ms) + half a revolution + a miss's overhead + transfer. */
    double expected = 1.0e6 + 19.0e6 * 8.0 / 15.0 + 11.111e6 / 2 + 0.5e6 + 4096 * 1e9 / 46.0e6;
    CHECK_NEAR(per_command, expected, 0.05);
    CHECK(model.stats.read_ahead_hits == 0);
}

static void a_read_after_a_pause_comes_from_the_read_ahead_buffer(void) {
    struct hdd_model model = drive(hdd_wd_scorpio_2011);
    double t = hdd_submit(&model, HDD_READ, 100 * MIB, 4096, 0);
    double done = hdd_submit(&model, HDD_READ, 100 * MIB + 4096, 65536, t + 10e6);
    /* A hit pays the hit overhead (0.1 ms), not the miss's (0.5 ms). */
    CHECK_NEAR(done - (t + 10e6), 0.1e6 + 65536 * 1e9 / 150.0e6, 1e-6);
    CHECK(model.stats.read_ahead_hits == 1);
    /* The buffer holds 2.5 MB at most: after a long pause, the bytes past it come off the platter. */
    double late = done + 1e9;
    double far = hdd_submit(&model, HDD_READ, 100 * MIB + 69632, 4 * MIB, late);
    CHECK(far - late > 4 * MIB * 1e9 / 46.0e6 - 2621440 * 1e9 / 46.0e6);
    CHECK(model.stats.read_ahead_hits == 1);
}

static void write_cache_on_acknowledges_at_interface_speed_and_flush_waits_for_the_media(void) {
    struct hdd_model model = drive(hdd_wd_scorpio_2011);
    double done = hdd_submit(&model, HDD_WRITE, 300 * MIB, 65536, 0);
    CHECK_NEAR(done, 0.015e6 + 65536 * 1e9 / 150.0e6, 1e-6);
    double flushed = hdd_submit(&model, HDD_FLUSH, 0, 0, done);
    CHECK(flushed >= model.mech_free_ns);
    CHECK(flushed > done + 65536 * 1e9 / 46.0e6);
}

static void write_cache_off_completes_on_the_media(void) {
    struct hdd_params params = hdd_wd_scorpio_2011;
    params.write_cache_bytes = 0;
    struct hdd_model model = drive(params);
    double done = hdd_submit(&model, HDD_WRITE, 300 * MIB, 65536, 0);
    CHECK_NEAR(done, model.mech_free_ns, 1e-12);
    CHECK(done >= 0.015e6 + 65536 * 1e9 / 46.0e6);
}

static void sequential_writes_are_throttled_to_the_media_rate_by_the_full_cache(void) {
    struct hdd_model model = drive(hdd_wd_scorpio_2011);
    enum { COUNT = 128 };
    uint64_t offsets[COUNT];
    for (int i = 0; i < COUNT; i++) offsets[i] = (uint64_t)i * MIB;
    double last = run_sequence(&model, HDD_WRITE, offsets, COUNT, MIB, 0, 0.2e6);
    double rate = COUNT * (double)MIB / (last / 1e9);
    CHECK_NEAR(rate, 46.0e6, 0.05);
}

static void scaling_by_k_scales_every_completion_time(void) {
    enum { COUNT = 200 };
    uint64_t offsets[COUNT];
    uint64_t seed = 7;
    for (int i = 0; i < COUNT; i++) offsets[i] = splitmix64(&seed) % (2ULL << 30) / 512 * 512;
    struct hdd_model base = drive(hdd_wd_scorpio_2011);
    struct hdd_model slow = drive(hdd_params_scaled(hdd_wd_scorpio_2011, 4.0));
    double t_base = 1e6, t_slow = 4e6;
    for (int i = 0; i < COUNT; i++) {
        enum hdd_op op = i % 3 == 0 ? HDD_WRITE : HDD_READ;
        uint64_t len = (uint64_t)(1 + i % 5) * 8192;
        t_base = hdd_submit(&base, op, offsets[i], len, t_base) + 0.5e6;
        t_slow = hdd_submit(&slow, op, offsets[i], len, t_slow) + 2.0e6;
        CHECK_NEAR(t_slow, 4 * t_base, 1e-6);
    }
    CHECK(slow.params.rpm == 1350);
}

int main(void) {
    TEST(seek_curve_runs_from_single_track_to_full_stroke);
    TEST(sequential_reads_stream_at_the_media_rate);
    TEST(random_4k_reads_are_seek_and_rotation_bound);
    TEST(a_read_after_a_pause_comes_from_the_read_ahead_buffer);
    TEST(write_cache_on_acknowledges_at_interface_speed_and_flush_waits_for_the_media);
    TEST(write_cache_off_completes_on_the_media);
    TEST(sequential_writes_are_throttled_to_the_media_rate_by_the_full_cache);
    TEST(scaling_by_k_scales_every_completion_time);
    return tap_finish();
}
