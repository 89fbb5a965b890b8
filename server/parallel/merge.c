/* SPDX-License-Identifier: MIT */
#include "merge.h"

static bool before(const merge_item *a, size_t ia, const merge_item *b, size_t ib) {
    if (a->file != b->file) return a->file < b->file;
    if (a->write != b->write) return !a->write;
    if (a->lba != b->lba) return a->lba < b->lba;
    return ia < ib;
}

size_t merge_plan(const merge_item *items, size_t n, size_t max_items, unsigned max_sectors, size_t *order,
                  merge_run *runs) {
    /* insertion sort: a batch is at most the buffer count, and usually arrives in order */
    for (size_t i = 0; i < n; i++) {
        size_t j = i;
        while (j > 0 && before(&items[i], i, &items[order[j - 1]], order[j - 1])) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = i;
    }
    size_t nruns = 0;
    unsigned run_sectors = 0;
    for (size_t k = 0; k < n; k++) {
        const merge_item *cur = &items[order[k]];
        if (nruns > 0) {
            merge_run *run = &runs[nruns - 1];
            const merge_item *last = &items[order[run->first + run->count - 1]];
            if (last->file == cur->file && last->write == cur->write && last->lba + last->sectors == cur->lba &&
                run->count < max_items && run_sectors + cur->sectors <= max_sectors) {
                run->count++;
                run_sectors += cur->sectors;
                continue;
            }
        }
        runs[nruns].first = k;
        runs[nruns].count = 1;
        nruns++;
        run_sectors = cur->sectors;
    }
    return nruns;
}
