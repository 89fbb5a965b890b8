/* SPDX-License-Identifier: MIT */
/* Retransmission timeout from round-trip samples: Jacobson/Karels as in RFC 6298 (SRTT, RTTVAR,
 * RTO = SRTT + 4 RTTVAR), in microseconds, clamped, with binary back-off per retry. Pure. */
#ifndef AOE_RTO_H
#define AOE_RTO_H

#include <stdint.h>

/* 250 ms before the first sample: Linux's aoe initiator starts from the same estimate and iPXE
 * never goes below it. A spurious retransmit costs a whole extra disk access at a single-threaded
 * vblade, so start cautious; the first answers pull it down to the LAN's real RTT. */
#define AOE_RTO_INITIAL_US 250000u
/* Floor: a warm page cache answers in ~0.1 ms, but the next request may wait for disk seeks
 * behind a whole window at a single-threaded vblade, and a loaded host (or QEMU TCG) stalls
 * for tens of ms. At a 20 ms floor the boot self-check under TCG retransmitted 48 of 1074
 * frames, every one spurious (48 duplicates came back). 100 ms is what Linux's aoe initiator
 * effectively gets from its 100 ms timer tick; a real loss on a LAN is rare, so waiting longer
 * for it costs little. */
#define AOE_RTO_MIN_US 100000u
/* Back-off cap: a silent target is still retried every 2 s. */
#define AOE_RTO_MAX_US 2000000u

struct aoe_rto {
    uint64_t srtt_us;   /* smoothed RTT; 0 before the first sample */
    uint64_t rttvar_us; /* smoothed mean deviation */
    uint64_t rto_us;    /* current timeout, clamped to [MIN, MAX] */
};

void aoe_rto_init(struct aoe_rto *r);
/* Adds one RTT sample, taken only from requests sent once (Karn: a retransmitted request's answer
 * cannot tell which copy it answers). */
void aoe_rto_sample(struct aoe_rto *r, uint64_t rtt_us);
/* The timeout for a request after `retransmits` retries: RTO doubled that many times, capped. */
uint64_t aoe_rto_backoff(const struct aoe_rto *r, unsigned retransmits);

#endif
