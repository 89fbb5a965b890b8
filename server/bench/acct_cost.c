/* SPDX-License-Identifier: MIT */
/* Micro-benchmark of the patched vblade's request accounting (acct.c, patch 0005): CPU time per
 * request of the calls the receive loop makes (acctstart, acctata, acctdone, accttick) with
 * counters only (-a) and with counters + trace (-t). Built against the patched tree by
 * `make -C server bench-acct`; prints one JSON line per mode. */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "dat.h"
#include "fns.h"

static double cpu_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

static void requests(long n) {
    uchar tag[4] = { 0x12, 0x34, 0, 0 };
    Ataregs r;
    memset(&r, 0, sizeof r);
    r.cmd = 0x24;
    r.status = 0x40;
    r.dir = 'r';
    r.nbytes = 1024;
    for (long i = 0; i < n; i++) {
        long long start = acctstart();
        tag[3] = (uchar)i;
        r.lba = i * 2;
        acctata(&r, r.lba, 2, tag);
        acctdone(start, r.cmd, r.lba, 2, tag, 0);
        accttick(0);
    }
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: acct_cost counters|trace DIR\n");
        return 2;
    }
    long n = 2000000;
    static char counters[4096], trace[4096];
    snprintf(counters, sizeof counters, "%s/counters", argv[2]);
    snprintf(trace, sizeof trace, "%s/trace", argv[2]);
    acctinit(counters, strcmp(argv[1], "trace") == 0 ? trace : NULL, "O_RDWR");
    requests(n / 10); /* warm up */
    double t0 = cpu_ns();
    requests(n);
    double per = (cpu_ns() - t0) / n;
    printf("{\"event\":\"acct_cost\",\"mode\":\"%s\",\"requests\":%ld,\"cpu_ns_per_request\":%.1f}\n", argv[1], n, per);
    return 0;
}
