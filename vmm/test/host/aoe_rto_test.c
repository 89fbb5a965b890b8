/* SPDX-License-Identifier: MIT */
/* The retransmit timer estimator (Jacobson/Karels) and the RTT statistics, on known samples. */
#include "tap.h"
#include "aoe/aoe_stats.h"
#include "aoe/rto.h"

static struct aoe_stats stats;

static void initial_timeout_before_any_sample(void) {
    struct aoe_rto r;
    aoe_rto_init(&r);
    CHECK_EQ_U64(r.rto_us, 250000);
    CHECK_EQ_U64(aoe_rto_backoff(&r, 0), 250000);
}

static void first_sample_sets_srtt_and_half_variance(void) {
    struct aoe_rto r;
    aoe_rto_init(&r);
    aoe_rto_sample(&r, 100000);
    CHECK_EQ_U64(r.srtt_us, 100000);
    CHECK_EQ_U64(r.rttvar_us, 50000);
    CHECK_EQ_U64(r.rto_us, 300000); /* 100000 + 4 * 50000 */
    aoe_rto_init(&r);
    aoe_rto_sample(&r, 30000);
    CHECK_EQ_U64(r.rto_us, 100000); /* 30000 + 60000 is under the floor */
}

static void steady_samples_shrink_the_variance(void) {
    struct aoe_rto r;
    aoe_rto_init(&r);
    aoe_rto_sample(&r, 100000);
    aoe_rto_sample(&r, 100000);
    CHECK_EQ_U64(r.srtt_us, 100000);
    CHECK_EQ_U64(r.rttvar_us, 37500); /* 3/4 of 50000 */
    CHECK_EQ_U64(r.rto_us, 250000);
    aoe_rto_sample(&r, 180000);       /* deviation 80000 */
    CHECK_EQ_U64(r.rttvar_us, 48125); /* (3 * 37500 + 80000) / 4 */
    CHECK_EQ_U64(r.srtt_us, 110000);  /* (7 * 100000 + 180000) / 8 */
    CHECK_EQ_U64(r.rto_us, 302500);
}

static void clamped_to_floor_and_cap(void) {
    struct aoe_rto r;
    aoe_rto_init(&r);
    aoe_rto_sample(&r, 300); /* a LAN answer from the page cache */
    CHECK_EQ_U64(r.rto_us, AOE_RTO_MIN_US);
    aoe_rto_init(&r);
    aoe_rto_sample(&r, 5000000);
    CHECK_EQ_U64(r.rto_us, AOE_RTO_MAX_US);
}

static void backoff_doubles_up_to_the_cap(void) {
    struct aoe_rto r;
    aoe_rto_init(&r);
    CHECK_EQ_U64(aoe_rto_backoff(&r, 1), 500000);
    CHECK_EQ_U64(aoe_rto_backoff(&r, 2), 1000000);
    CHECK_EQ_U64(aoe_rto_backoff(&r, 3), 2000000);
    CHECK_EQ_U64(aoe_rto_backoff(&r, 4), 2000000);
    CHECK_EQ_U64(aoe_rto_backoff(&r, 1000), 2000000); /* no overflow on long silences */
}

static void rtt_buckets_per_index_and_direction(void) {
    aoe_stats_reset(&stats);
    aoe_stats_record_rtt(&stats, false, 0, 100);
    aoe_stats_record_rtt(&stats, false, 0, 300);
    aoe_stats_record_rtt(&stats, false, 5, 50);
    aoe_stats_record_rtt(&stats, true, 0, 700);
    aoe_stats_record_rtt(&stats, false, 5000, 9); /* beyond the table: the last bucket */
    CHECK_EQ_U64(stats.rtt[0][0].count, 2);
    CHECK_EQ_U64(stats.rtt[0][0].sum_us, 400);
    CHECK_EQ_U64(stats.rtt[0][0].max_us, 300);
    CHECK_EQ_U64(stats.rtt[0][5].count, 1);
    CHECK_EQ_U64(stats.rtt[1][0].sum_us, 700);
    CHECK_EQ_U64(stats.rtt[0][AOE_STATS_INDEXES - 1].count, 1);
    stats.commands = 3;
    aoe_stats_reset(&stats);
    CHECK_EQ_U64(stats.rtt[0][0].count, 0);
    CHECK_EQ_U64(stats.commands, 0);
}

int main(void) {
    TEST(initial_timeout_before_any_sample);
    TEST(first_sample_sets_srtt_and_half_variance);
    TEST(steady_samples_shrink_the_variance);
    TEST(clamped_to_floor_and_cap);
    TEST(backoff_doubles_up_to_the_cap);
    TEST(rtt_buckets_per_index_and_direction);
    return tap_finish();
}
