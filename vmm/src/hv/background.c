/* SPDX-License-Identifier: MIT */
#include "hv/background.h"

#include "hv/cpu_backend.h"
#include "x86/cpu.h"

static background_turn registered_turn;
static void *registered_ctx;
static bool busy;

void background_register(background_turn turn, void *ctx) {
    registered_turn = turn;
    registered_ctx = ctx;
}

void background_wake(struct vcpu *v) {
    if (busy) return;
    busy = true;
    vcpu_intercept_interrupts(v, true);
}

bool background_busy(void) { return busy; }

void background_turn_now(struct vcpu *v) {
    if (!busy) return;
    busy = registered_turn(registered_ctx);
    if (!busy) vcpu_intercept_interrupts(v, false);
}

void background_finish(struct vcpu *v) {
    while (busy) {
        background_turn_now(v);
        if (busy) cpu_relax();
    }
}
