/* SPDX-License-Identifier: MIT */
/* Deterministic sector contents: a sector's bytes depend only on (seed, LBA), so data written in
 * any request sizes can be verified in any other request sizes. */
#ifndef PATTERN_H
#define PATTERN_H
#include <stddef.h>
#include <stdint.h>

#include "random/splitmix64.h" /* also the probe's random number source (random LBAs, fuzzing) */

void pattern_fill(uint8_t *buf, uint64_t lba, uint32_t sectors, uint64_t seed);
/* Returns the number of sectors whose bytes differ from the pattern. */
uint32_t pattern_mismatches(const uint8_t *buf, uint64_t lba, uint32_t sectors, uint64_t seed);

#endif
