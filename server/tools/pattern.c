/* SPDX-License-Identifier: MIT */
#include "pattern.h"

#include <string.h>

static void fill_sector(uint8_t *sector, uint64_t lba, uint64_t seed) {
    uint64_t state = seed ^ (lba * 0xD1B54A32D192ED03ull);
    for (unsigned i = 0; i < 512; i += 8) {
        uint64_t v = splitmix64(&state);
        memcpy(sector + i, &v, 8);
    }
}

void pattern_fill(uint8_t *buf, uint64_t lba, uint32_t sectors, uint64_t seed) {
    for (uint32_t i = 0; i < sectors; i++) fill_sector(buf + (size_t)i * 512, lba + i, seed);
}

uint32_t pattern_mismatches(const uint8_t *buf, uint64_t lba, uint32_t sectors, uint64_t seed) {
    uint8_t expected[512];
    uint32_t bad = 0;
    for (uint32_t i = 0; i < sectors; i++) {
        fill_sector(expected, lba + i, seed);
        if (memcmp(expected, buf + (size_t)i * 512, 512) != 0) bad++;
    }
    return bad;
}
