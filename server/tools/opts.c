/* SPDX-License-Identifier: MIT */
#include "opts.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const opt_spec *find(const opt_spec *specs, size_t n, const char *arg) {
    if (strncmp(arg, "--", 2) != 0) return NULL;
    for (size_t i = 0; i < n; i++)
        if (strcmp(arg + 2, specs[i].name) == 0) return &specs[i];
    return NULL;
}

static int parse_number(const opt_spec *o, const char *text, uint64_t *out) {
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 0);
    if (errno || end == text || *end || text[0] == '-') {
        fprintf(stderr, "aoe-probe: --%s needs a number (decimal or 0x hex), got '%s'\n", o->name, text);
        return -1;
    }
    if (v > o->max) {
        fprintf(stderr, "aoe-probe: --%s %s is too large (at most %llu)\n", o->name, text, (unsigned long long)o->max);
        return -1;
    }
    *out = v;
    return 0;
}

int opts_parse(int argc, char **argv, const opt_spec *specs, size_t nspecs, void *base, bool *seen) {
    for (int i = 0; i < argc; i++) {
        const opt_spec *o = find(specs, nspecs, argv[i]);
        if (!o) {
            fprintf(stderr, "aoe-probe: unknown option '%s' (run 'aoe-probe help' for the list)\n", argv[i]);
            return -1;
        }
        seen[o - specs] = true;
        char *field = (char *)base + o->offset;
        if (o->kind == OPT_FLAG) {
            *(bool *)field = true;
            continue;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "aoe-probe: --%s needs a value\n", o->name);
            return -1;
        }
        const char *value = argv[++i];
        if (o->kind == OPT_STRING)
            *(const char **)field = value;
        else if (parse_number(o, value, (uint64_t *)field) < 0)
            return -1;
    }
    return 0;
}

void opts_usage(const opt_spec *specs, size_t nspecs) {
    for (size_t i = 0; i < nspecs; i++)
        fprintf(stderr, "  --%-12s %s%s\n", specs[i].name, specs[i].kind == OPT_FLAG ? "" : "VALUE  ", specs[i].help);
}
