/* SPDX-License-Identifier: MIT */
/* Merging of adjacent reads and writes that arrive in one receive batch: an initiator's window
 * of frames for one large ATA command covers consecutive LBAs (2 sectors each at MTU 1500), and
 * one readv/writev for all of them costs the backing store one request instead of dozens. Pure:
 * it plans, the caller does the I/O. */
#ifndef PARALLEL_MERGE_H
#define PARALLEL_MERGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    unsigned file; /* which file: requests merge only within one (0 the image, else an overlay) */
    bool write;
    uint64_t lba;
    unsigned sectors; /* > 0 */
} merge_item;

typedef struct {
    size_t first; /* into the order array */
    size_t count;
} merge_run;

/* Orders items by file, then direction, then LBA, then arrival, into order[] (indexes into
 * items) and groups them into runs: each run is one file and direction and consecutive sectors
 * without gap or overlap, at most max_items items and max_sectors sectors. Returns the number of runs (runs[]
 * must hold n). */
size_t merge_plan(const merge_item *items, size_t n, size_t max_items, unsigned max_sectors, size_t *order,
                  merge_run *runs);

#endif
