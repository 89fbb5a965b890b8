/* SPDX-License-Identifier: MIT */
/* Time from the TSC, calibrated once against PIT channel 2 before the guest runs. */
#ifndef X86_TSC_H
#define X86_TSC_H

#include <stdint.h>

extern uint64_t tsc_boot;       /* TSC when the hypervisor started */
extern uint64_t tsc_per_second; /* 0 until calibrated */

void tsc_calibrate(void);
uint64_t tsc_to_us(uint64_t ticks);
uint64_t tsc_from_us(uint64_t us);

#endif
