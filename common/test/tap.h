/* SPDX-License-Identifier: MIT */
/* Minimal TAP producer for the C host unit tests (vmm/, common/, server/).
 * Each CHECK is one assertion; each TEST is one TAP line ("ok N - name" / "not ok N - name"),
 * which artifact/test/support/c-unit.ts turns into one vitest test. */
#ifndef TAP_H
#define TAP_H

#include <stdio.h>
#include <string.h>

static int tap_case_count;
static int tap_case_failures;
static int tap_total_failures;
static const char *tap_case_name;

#define CHECK(cond)                                                                                                    \
    do {                                                                                                               \
        if (!(cond)) {                                                                                                 \
            tap_case_failures++;                                                                                       \
            printf("# %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond);                                          \
        }                                                                                                              \
    } while (0)

#define CHECK_EQ_U64(actual, expected)                                                                                 \
    do {                                                                                                               \
        unsigned long long tap_a = (unsigned long long)(actual), tap_e = (unsigned long long)(expected);               \
        if (tap_a != tap_e) {                                                                                          \
            tap_case_failures++;                                                                                       \
            printf("# %s:%d: %s == 0x%llx, expected 0x%llx\n", __FILE__, __LINE__, #actual, tap_a, tap_e);             \
        }                                                                                                              \
    } while (0)

/* Runs one test function as one TAP case. */
#define TEST(fn)                                                                                                       \
    do {                                                                                                               \
        tap_case_name = #fn;                                                                                           \
        tap_case_failures = 0;                                                                                         \
        fn();                                                                                                          \
        tap_case_count++;                                                                                              \
        printf("%s %d - %s\n", tap_case_failures ? "not ok" : "ok", tap_case_count, tap_case_name);                    \
        if (tap_case_failures) tap_total_failures++;                                                                   \
    } while (0)

/* Call last in main(): prints the plan and returns the exit status. */
static inline int tap_finish(void) {
    printf("1..%d\n", tap_case_count);
    return tap_total_failures ? 1 : 0;
}

#endif
