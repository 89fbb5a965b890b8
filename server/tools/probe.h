/* SPDX-License-Identifier: MIT */
/* aoe-probe: options shared by all subcommands and the helpers the subcommands share. */
#ifndef PROBE_H
#define PROBE_H
#include <stdbool.h>
#include <stdint.h>

#include "exchange.h"

typedef struct {
    const char *ifname, *target, *mac, *op, *pattern, *in, *out;
    uint64_t timeout_ms, retries, window, spf, wait_ms;
    uint64_t lba, sectors, seed, cmd, feature, count, data_bytes;
    uint64_t bs, requests, span;
    uint64_t frames;
    bool ext, write, lba28, rtt;
} probe_opts;

/* Index of each option in the table (probe.c), to ask whether it was given. */
enum probe_opt_id {
    O_IF,
    O_TARGET,
    O_MAC,
    O_TIMEOUT,
    O_RETRIES,
    O_WINDOW,
    O_SPF,
    O_WAIT,
    O_LBA,
    O_SECTORS,
    O_SEED,
    O_IN,
    O_OUT,
    O_LBA28,
    O_CMD,
    O_FEATURE,
    O_COUNT,
    O_EXT,
    O_WRITE,
    O_DATA_BYTES,
    O_OP,
    O_BS,
    O_REQUESTS,
    O_PATTERN,
    O_SPAN,
    O_RTT,
    O_FRAMES,
    O_COUNT_OF_OPTIONS
};

typedef struct {
    const probe_opts *o;
    const bool *seen;
} probe_args;

/* Fails with a clear message unless the options were given; returns 0 or -1. */
int require(const probe_args *a, const enum probe_opt_id *ids, unsigned n, const char *command);

/* "e1.2" or "1.2" -> shelf 1, slot 2; prints why and returns -1 if malformed. */
int parse_target(const char *text, uint16_t *shelf, uint8_t *slot);
/* "aa:bb:cc:dd:ee:ff" -> bytes; prints why and returns -1 if malformed. */
int parse_mac(const char *text, uint8_t mac[6]);

/* Opens --if and finds --target (shelf.slot, default: the first that answers), filling the
 * session; prints why and returns -1 on failure. */
int session_open(const probe_args *a, aoe_link *link, aoe_session *s);

/* Prints an {"event":"error",...} line for a failed exchange. */
void print_exchange_error(const char *what, int result, const ata_exchange *x);

int cmd_discover(const probe_args *a);
int cmd_identify(const probe_args *a);
int cmd_ata(const probe_args *a);
int cmd_setfeatures(const probe_args *a);
int cmd_read(const probe_args *a);
int cmd_write(const probe_args *a);
int cmd_verify(const probe_args *a);
int cmd_io(const probe_args *a);
int cmd_rtt(const probe_args *a);
int cmd_replay(const probe_args *a);
int cmd_fuzz(const probe_args *a);

#endif
