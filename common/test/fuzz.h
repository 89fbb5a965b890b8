/* SPDX-License-Identifier: MIT */
/* The fuzz harnesses' shared driver: `<harness> [inputs-per-seed [first-seed [seeds]]]` runs the
 * harness once per seed, each run one TAP case ("ok N - <name>: seed S, I inputs"), so `npm test`
 * runs a few fixed seeds for a bounded time and `npm run fuzz` runs many more. Built with
 * AddressSanitizer and UBSan: a memory error aborts the program, which the TAP wrapper reports
 * as a failure; the harness's own CHECKs state what must hold for every input. */
#ifndef FUZZ_H
#define FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "random/splitmix64.h"
#include "tap.h"

/* One harness run: `inputs` random inputs drawn from `*rng`. */
typedef void fuzz_run_fn(uint64_t *rng, unsigned long inputs);

static inline unsigned long fuzz_arg(int argc, char **argv, int i, unsigned long fallback) {
    return argc > i ? strtoul(argv[i], NULL, 0) : fallback;
}

static inline int fuzz_main(int argc, char **argv, const char *name, fuzz_run_fn *run, unsigned long inputs,
                            unsigned seeds) {
    inputs = fuzz_arg(argc, argv, 1, inputs);
    unsigned long first = fuzz_arg(argc, argv, 2, 1);
    seeds = (unsigned)fuzz_arg(argc, argv, 3, seeds);
    for (unsigned long seed = first; seed < first + seeds; seed++) {
        uint64_t rng = seed;
        tap_case_name = name;
        tap_case_failures = 0;
        run(&rng, inputs);
        tap_case_count++;
        printf("%s %d - %s: seed %lu, %lu inputs\n", tap_case_failures ? "not ok" : "ok", tap_case_count, tap_case_name,
               seed, inputs);
        fflush(stdout);
        if (tap_case_failures) tap_total_failures++;
    }
    return tap_finish();
}

#endif
