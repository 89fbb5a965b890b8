/* SPDX-License-Identifier: MIT */
#include "cow_map.h"

size_t cow_map_bytes(uint64_t sectors) { return (size_t)((sectors + 7) / 8); }

bool cow_in_overlay(const uint8_t *map, uint64_t lba) { return map[lba / 8] >> (lba % 8) & 1; }

void cow_mark(uint8_t *map, uint64_t lba, unsigned n) {
    for (uint64_t s = lba; s < lba + n; s++) map[s / 8] |= (uint8_t)(1u << (s % 8));
}

size_t cow_runs(const uint8_t *map, uint64_t lba, unsigned n, cow_run *runs) {
    size_t nruns = 0;
    for (unsigned i = 0; i < n; i++) {
        bool in = cow_in_overlay(map, lba + i);
        if (nruns > 0 && runs[nruns - 1].overlay == in) {
            runs[nruns - 1].sectors++;
            continue;
        }
        runs[nruns++] = (cow_run){ in, lba + i, 1 };
    }
    return nruns;
}
