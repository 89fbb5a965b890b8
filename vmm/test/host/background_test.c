/* SPDX-License-Identifier: MIT */
/* Background work (the network disk's command in flight): the guest's interrupts and HLT are
 * intercepted exactly while there is work, and each turn runs the work once. */
#include "tap.h"
#include "hv/background.h"
#include "hv/cpu_backend.h"

static int intercepting; /* what the fake CPU backend was last told */
static unsigned intercept_calls;
void vcpu_intercept_interrupts(struct vcpu *v, bool on) {
    (void)v;
    intercepting = on;
    intercept_calls++;
}

static unsigned turns_left; /* the work ends after this many turns */
static unsigned turns_taken;
static bool turn(void *ctx) {
    CHECK(ctx == &turns_left);
    turns_taken++;
    return --turns_left > 0;
}

static struct vcpu vcpu;

static void no_work_no_intercepts(void) {
    background_register(turn, &turns_left);
    background_turn_now(&vcpu);
    CHECK(!background_busy());
    CHECK_EQ_U64(turns_taken, 0);
    CHECK_EQ_U64(intercept_calls, 0);
}

static void intercepts_last_while_work_does(void) {
    turns_left = 3;
    background_wake(&vcpu);
    CHECK(background_busy() && intercepting);
    background_wake(&vcpu); /* a second command while one runs: nothing changes */
    CHECK_EQ_U64(intercept_calls, 1);
    background_turn_now(&vcpu);
    background_turn_now(&vcpu);
    CHECK(background_busy() && intercepting);
    background_turn_now(&vcpu); /* the last answer */
    CHECK(!background_busy() && !intercepting);
    CHECK_EQ_U64(turns_taken, 3);
    background_turn_now(&vcpu); /* idle again: no more turns */
    CHECK_EQ_U64(turns_taken, 3);
    CHECK_EQ_U64(intercept_calls, 2);
}

static void finishing_runs_the_work_out(void) {
    turns_left = 5;
    turns_taken = 0;
    background_wake(&vcpu);
    background_finish(&vcpu);
    CHECK(!background_busy() && !intercepting);
    CHECK_EQ_U64(turns_taken, 5);
}

int main(void) {
    TEST(no_work_no_intercepts);
    TEST(intercepts_last_while_work_does);
    TEST(finishing_runs_the_work_out);
    return tap_finish();
}
