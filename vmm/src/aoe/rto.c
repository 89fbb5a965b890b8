/* SPDX-License-Identifier: MIT */
#include "aoe/rto.h"

static uint64_t clamp(uint64_t v) {
    return v < AOE_RTO_MIN_US ? AOE_RTO_MIN_US : v > AOE_RTO_MAX_US ? AOE_RTO_MAX_US : v;
}

void aoe_rto_init(struct aoe_rto *r) {
    r->srtt_us = 0;
    r->rttvar_us = 0;
    r->rto_us = AOE_RTO_INITIAL_US;
}

void aoe_rto_sample(struct aoe_rto *r, uint64_t rtt_us) {
    if (!r->srtt_us) {
        r->srtt_us = rtt_us ? rtt_us : 1; /* 0 marks "no sample yet" */
        r->rttvar_us = rtt_us / 2;
    } else {
        uint64_t deviation = r->srtt_us > rtt_us ? r->srtt_us - rtt_us : rtt_us - r->srtt_us;
        r->rttvar_us = (3 * r->rttvar_us + deviation) / 4; /* beta 1/4 */
        r->srtt_us = (7 * r->srtt_us + rtt_us) / 8;        /* alpha 1/8 */
    }
    r->rto_us = clamp(r->srtt_us + 4 * r->rttvar_us);
}

uint64_t aoe_rto_backoff(const struct aoe_rto *r, unsigned retransmits) {
    uint64_t t = r->rto_us;
    for (unsigned i = 0; i < retransmits && t < AOE_RTO_MAX_US; i++) t *= 2;
    return clamp(t);
}
