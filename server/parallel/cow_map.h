/* SPDX-License-Identifier: MIT */
/* Which sectors of a client's disk live in its copy-on-write overlay: one bit per 512-byte
 * sector, set once a write to that sector has completed. Sector granularity because AoE writes
 * are whole sectors: a write never needs the base's data around it (no copy-up), and a read is
 * split into runs read from the overlay or from the base. Pure, so it is tested on the host. */
#ifndef PARALLEL_COW_MAP_H
#define PARALLEL_COW_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    bool overlay; /* these sectors are read from the overlay, else from the base */
    uint64_t lba;
    unsigned sectors;
} cow_run;

/* Bytes of map for a disk of `sectors` sectors. */
size_t cow_map_bytes(uint64_t sectors);

bool cow_in_overlay(const uint8_t *map, uint64_t lba);

/* Marks sectors [lba, lba + n) as in the overlay. */
void cow_mark(uint8_t *map, uint64_t lba, unsigned n);

/* Splits [lba, lba + n) into maximal runs that are all in the overlay or all in the base, in
 * LBA order; runs[] must hold n. Returns the number of runs (1 when n > 0 and nothing differs). */
size_t cow_runs(const uint8_t *map, uint64_t lba, unsigned n, cow_run *runs);

#endif
