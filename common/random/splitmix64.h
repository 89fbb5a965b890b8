/* SPDX-License-Identifier: MIT */
/* splitmix64 (Steele, Lea, Flood 2014): a tiny, seedable random number generator, the same on
 * every platform, for reproducible random LBAs, sector patterns and fuzz inputs. */
#ifndef RANDOM_SPLITMIX64_H
#define RANDOM_SPLITMIX64_H

#include <stdint.h>

static inline uint64_t splitmix64(uint64_t *state) {
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

#endif
