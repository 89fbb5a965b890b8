/* SPDX-License-Identifier: MIT */
/* Work the hypervisor carries on while the guest runs: the network disk's command in flight,
 * which the paper's design lets overlap the guest (command issued, server answered, guest
 * fetches data). While there is work, the CPU backend intercepts the guest's external interrupts
 * and HLT, so the hypervisor regains the CPU at every clock tick, at every interrupt and whenever
 * the guest idles, besides its own port traps; each exit then gives the work one turn. An idle
 * guest's HLT becomes a loop that does the work until an interrupt would wake the guest. */
#ifndef HV_BACKGROUND_H
#define HV_BACKGROUND_H

#include <stdbool.h>

#include "hv/vcpu.h"

/* One turn of the work; false when none is left. */
typedef bool (*background_turn)(void *ctx);

/* The one piece of background work (the network disk). */
void background_register(background_turn turn, void *ctx);

/* The work has something in flight: intercept the guest's interrupts and HLT from now on. */
void background_wake(struct vcpu *v);

/* Whether work is in flight. */
bool background_busy(void);

/* Gives the work a turn if it is busy; once it has none left the intercepts go off, and the guest
 * runs untouched again. Called after every exit. */
void background_turn_now(struct vcpu *v);

/* Gives the work turns until none is left: for a guest that can only wait (it polls the disk's
 * status register), so the work need not wait for its next exit. */
void background_finish(struct vcpu *v);

#endif
