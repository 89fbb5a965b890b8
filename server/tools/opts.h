/* SPDX-License-Identifier: MIT */
/* Table-driven command-line options: --name value (numbers in decimal or 0x hex) and --flag. */
#ifndef OPTS_H
#define OPTS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum { OPT_NUMBER, OPT_STRING, OPT_FLAG } opt_kind;

typedef struct {
    const char *name; /* without the leading dashes */
    opt_kind kind;
    size_t offset; /* of the destination field in the options struct */
    uint64_t max;  /* OPT_NUMBER: largest accepted value */
    const char *help;
} opt_spec;

/* Parses argv into the struct at base; marks each seen option in seen[]. On a bad option or
 * value prints the reason to stderr and returns -1. */
int opts_parse(int argc, char **argv, const opt_spec *specs, size_t nspecs, void *base, bool *seen);
/* Prints the option list to stderr. */
void opts_usage(const opt_spec *specs, size_t nspecs);

#endif
