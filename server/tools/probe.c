/* SPDX-License-Identifier: MIT */
/* aoe-probe: a host-side AoE initiator on AF_PACKET, for tests and benchmarks of the server.
 * Output: JSON lines on stdout; errors as text on stderr. Exit 0 ok, 1 failure, 2 bad usage. */
#include "probe.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "aoe.h"
#include "json.h"
#include "opts.h"

#define OPT(id, name, kind, field, max, help) [id] = { name, kind, offsetof(probe_opts, field), max, help }
static const opt_spec options[O_COUNT_OF_OPTIONS] = {
    OPT(O_IF, "if", OPT_STRING, ifname, 0, "network interface (required)"),
    OPT(O_TARGET, "target", OPT_STRING, target, 0, "SHELF.SLOT (default: first to answer)"),
    OPT(O_MAC, "mac", OPT_STRING, mac, 0, "target MAC: skip discovery (needs --target; --spf or the MTU decides)"),
    OPT(O_TIMEOUT, "timeout-ms", OPT_NUMBER, timeout_ms, 60000, "retransmit timeout, doubles per retry (200)"),
    OPT(O_RETRIES, "retries", OPT_NUMBER, retries, 30, "retransmissions per frame before failing (6)"),
    OPT(O_WINDOW, "window", OPT_NUMBER, window, 65535, "frames in flight (16)"),
    OPT(O_SPF, "spf", OPT_NUMBER, spf, 255, "sectors per frame (default: min of target and MTU)"),
    OPT(O_WAIT, "wait-ms", OPT_NUMBER, wait_ms, 600000, "discovery time (discover: 1000, others: up to 3000)"),
    OPT(O_LBA, "lba", OPT_NUMBER, lba, 0xFFFFFFFFFFFFull, "first sector"),
    OPT(O_SECTORS, "sectors", OPT_NUMBER, sectors, 1u << 24, "sectors to transfer"),
    OPT(O_SEED, "seed", OPT_NUMBER, seed, UINT64_MAX, "pattern / random seed"),
    OPT(O_IN, "in", OPT_STRING, in, 0, "write: take the data from this file; replay: the stream"),
    OPT(O_OUT, "out", OPT_STRING, out, 0, "read: store the data in this file"),
    OPT(O_LBA28, "lba28", OPT_FLAG, lba28, 0, "use 28-bit commands (0x20/0x30) instead of 0x24/0x34"),
    OPT(O_CMD, "cmd", OPT_NUMBER, cmd, 255, "ata: ATA command byte"),
    OPT(O_FEATURE, "feature", OPT_NUMBER, feature, 255, "ata/setfeatures: Features register"),
    OPT(O_COUNT, "count", OPT_NUMBER, count, 255, "ata/setfeatures: Sector Count register"),
    OPT(O_EXT, "ext", OPT_FLAG, ext, 0, "ata: set the E (LBA48) flag"),
    OPT(O_WRITE, "write", OPT_FLAG, write, 0, "ata: set the W (write) flag"),
    OPT(O_DATA_BYTES, "data-bytes", OPT_NUMBER, data_bytes, 9000, "ata: payload bytes to send (pattern data)"),
    OPT(O_OP, "op", OPT_STRING, op, 0, "io: read or write"),
    OPT(O_BS, "bs", OPT_NUMBER, bs, 64u << 20, "io: bytes per request, multiple of 512"),
    OPT(O_REQUESTS, "requests", OPT_NUMBER, requests, 100000000, "io: number of requests"),
    OPT(O_PATTERN, "pattern", OPT_STRING, pattern, 0, "io: seq or rand"),
    OPT(O_SPAN, "span", OPT_NUMBER, span, 0xFFFFFFFFFFFFull, "io: sectors of the region used, from --lba"),
    OPT(O_RTT, "rtt", OPT_FLAG, rtt, 0, "io: print mean RTT per packet index within a request"),
    OPT(O_FRAMES, "frames", OPT_NUMBER, frames, 100000000, "fuzz: malformed frames to send"),
};

typedef struct {
    const char *name;
    int (*run)(const probe_args *);
    const char *help;
} subcommand;

static const subcommand subcommands[] = {
    { "discover", cmd_discover, "broadcast Query Config, list the targets" },
    { "identify", cmd_identify, "IDENTIFY DEVICE, decoded" },
    { "ata", cmd_ata, "one raw ATA command frame (--cmd, --feature, --count, --lba, --ext, --write, --data-bytes)" },
    { "setfeatures", cmd_setfeatures, "SET FEATURES (--feature, --count)" },
    { "read", cmd_read, "read --sectors at --lba (--out FILE, or --seed to verify the pattern)" },
    { "write", cmd_write, "write --sectors at --lba (--in FILE, or the --seed pattern)" },
    { "verify", cmd_verify, "read and compare with the --seed pattern" },
    { "io", cmd_io, "benchmark: --op, --bs, --requests, --pattern, --span, --window, --rtt" },
    { "replay", cmd_replay, "a recorded stream of commands with its gaps (--in STREAM, --seed for written data)" },
    { "rtt", cmd_rtt,
      "mean RTT by packet index: io --rtt with --op read --bs 1MiB --requests 100 by default (--span)" },
    { "fuzz", cmd_fuzz, "send --frames malformed frames (--seed), then report" },
};

static void usage(void) {
    fprintf(stderr, "usage: aoe-probe SUBCOMMAND --if IFACE [options]\nsubcommands:\n");
    for (size_t i = 0; i < sizeof subcommands / sizeof *subcommands; i++)
        fprintf(stderr, "  %-12s %s\n", subcommands[i].name, subcommands[i].help);
    fprintf(stderr, "options:\n");
    opts_usage(options, O_COUNT_OF_OPTIONS);
}

int require(const probe_args *a, const enum probe_opt_id *ids, unsigned n, const char *command) {
    for (unsigned i = 0; i < n; i++)
        if (!a->seen[ids[i]]) {
            fprintf(stderr, "aoe-probe %s: --%s is required\n", command, options[ids[i]].name);
            return -1;
        }
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2 || strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0) {
        usage();
        return argc < 2 ? 2 : 0;
    }
    const subcommand *sc = NULL;
    for (size_t i = 0; i < sizeof subcommands / sizeof *subcommands; i++)
        if (strcmp(argv[1], subcommands[i].name) == 0) sc = &subcommands[i];
    if (!sc) {
        fprintf(stderr, "aoe-probe: unknown subcommand '%s'\n", argv[1]);
        usage();
        return 2;
    }
    probe_opts o = { .timeout_ms = 200, .retries = 6, .window = 16, .pattern = "seq" };
    bool seen[O_COUNT_OF_OPTIONS] = { false };
    if (opts_parse(argc - 2, argv + 2, options, O_COUNT_OF_OPTIONS, &o, seen) < 0) return 2;
    if (!seen[O_IF]) {
        fprintf(stderr, "aoe-probe %s: --if IFACE is required\n", sc->name);
        return 2;
    }
    if (o.window == 0 || o.timeout_ms == 0) {
        fprintf(stderr, "aoe-probe: --window and --timeout-ms must be at least 1\n");
        return 2;
    }
    uint16_t shelf;
    uint8_t slot;
    if (o.target && parse_target(o.target, &shelf, &slot) < 0) return 2;
    uint8_t mac[6];
    if (o.mac && !o.target) {
        fprintf(stderr, "aoe-probe: --mac needs --target SHELF.SLOT\n");
        return 2;
    }
    if (o.mac && parse_mac(o.mac, mac) < 0) return 2;
    probe_args a = { .o = &o, .seen = seen };
    return sc->run(&a);
}
