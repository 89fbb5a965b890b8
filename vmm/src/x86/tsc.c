/* SPDX-License-Identifier: MIT */
#include "x86/tsc.h"

#include "x86/cpu.h"

uint64_t tsc_boot;
uint64_t tsc_per_second;

enum {
    PIT_HZ = 1193182,
    PIT_CH2_DATA = 0x42,
    PIT_MODE = 0x43,
    PORT_61 = 0x61,
    CALIBRATION_MS = 10,
    CALIBRATION_ROUNDS = 5,
};

/* Counts TSC ticks over a PIT channel 2 one-shot. Channel 2 only drives the PC speaker, whose
 * gate we restore, so the BIOS and the guest never notice. */
static uint64_t ticks_over_one_shot(void) {
    uint8_t saved_61 = inb(PORT_61);
    uint16_t count = PIT_HZ * CALIBRATION_MS / 1000;

    outb(PORT_61, (uint8_t)((saved_61 & ~0x02) | 0x01)); /* gate on, speaker off */
    outb(PIT_MODE, 0xB0);                                /* channel 2, lobyte/hibyte, mode 0 */
    outb(PIT_CH2_DATA, (uint8_t)count);
    /* Read the TSC before the write that starts the count: any delay then lengthens the
     * measurement, never shortens it, so the minimum below is the best estimate. */
    uint64_t start = rdtsc();
    outb(PIT_CH2_DATA, (uint8_t)(count >> 8));
    while (!(inb(PORT_61) & 0x20)) cpu_relax(); /* OUT2 goes high at terminal count */
    uint64_t ticks = rdtsc() - start;

    outb(PORT_61, saved_61);
    return ticks;
}

/* A delay in noticing the terminal count (e.g. an emulator's CPU thread descheduled while it
 * polls) can only lengthen a measurement: keep the shortest of several. */
void tsc_calibrate(void) {
    uint64_t best = ~0ull;
    for (int round = 0; round < CALIBRATION_ROUNDS; round++) {
        uint64_t ticks = ticks_over_one_shot();
        if (ticks < best) best = ticks;
    }
    tsc_per_second = best * 1000 / CALIBRATION_MS;
}

uint64_t tsc_to_us(uint64_t ticks) {
    if (!tsc_per_second) return 0;
    /* Split to avoid 64-bit overflow without 128-bit division (no libgcc here). */
    return ticks / tsc_per_second * 1000000 + ticks % tsc_per_second * 1000000 / tsc_per_second;
}

uint64_t tsc_from_us(uint64_t us) { return us / 1000000 * tsc_per_second + us % 1000000 * tsc_per_second / 1000000; }
