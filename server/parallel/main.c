/* SPDX-License-Identifier: MIT */
/* aoe-parallel: an AoE target serving one disk image with many requests in flight (io_uring),
 * the same ATA command set and answers as our patched vblade, and vblade's command line:
 *   aoe-parallel [-b bufcnt] [-d] [-s] [-r] [-f] [-a counters] [-t trace] [-p stats]
 *                [-m mac[,mac...]] [-c dir | -C dir] SHELF SLOT IFACE IMAGE
 * -b: buffers = concurrent requests = the buffer count Query Config advertises (default 64,
 * an initiator's 64-frame window); -d O_DIRECT (the paper's "cache off"); -s O_SYNC; -r
 * read-only; -f FLUSH CACHE does fdatasync; -a/-t vblade's counters and trace (acct.h); -p
 * aoe-parallel's own statistics; -m only these initiator MACs are served; -c DIR per-client
 * copy-on-write overlays in DIR, kept across restarts, -C DIR the same but discarded at start
 * (overlay.h): IMAGE is then opened read-only and every client sees its own writes only. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "acct.h"
#include "aoe.h"
#include "link.h"
#include "overlay.h"
#include "server.h"
#include "target.h"

#define DEFAULT_BUFCNT 64
#define MAX_BUFCNT 1024

static void usage(void) {
    fprintf(stderr,
            "usage: aoe-parallel [-b bufcnt] [-d] [-s] [-r] [-f] [-a countersfile] [-t tracefile] "
            "[-p statsfile] [-m mac[,mac...]] [-c overlaydir | -C overlaydir] shelf slot netif filename\n");
    exit(1);
}

/* "00:11:22:33:44:55" or "001122334455". */
static bool parse_mac(const char *text, uint8_t mac[6]) {
    for (int i = 0; i < 6; i++) {
        unsigned v;
        int used;
        if (sscanf(text, "%2x%n", &v, &used) != 1 || used != 2) return false;
        mac[i] = (uint8_t)v;
        text += 2;
        if (*text == ':') text++;
    }
    return *text == '\0';
}

static const char *open_flags(int omode) {
    static char buf[64];
    snprintf(buf, sizeof buf, "%s%s%s", (omode & O_ACCMODE) == O_RDONLY ? "O_RDONLY" : "O_RDWR",
             omode & O_DIRECT ? "|O_DIRECT" : "", omode & O_SYNC ? "|O_SYNC" : "");
    return buf;
}

static long long size_bytes(int fd) {
    unsigned long long bytes;
    if (ioctl(fd, BLKGETSIZE64, &bytes) == 0) return (long long)bytes;
    struct stat st;
    if (fstat(fd, &st) < 0) {
        perror("getsize");
        exit(1);
    }
    return st.st_size;
}

int main(int argc, char **argv) {
    int ch, omode = 0, bufcnt = DEFAULT_BUFCNT;
    bool readonly = false, syncflush = false;
    const char *counters = NULL, *trace = NULL, *stats = NULL;
    char *masks = NULL;
    const char *overlays = NULL;
    bool fresh = false;
    while ((ch = getopt(argc, argv, "b:dsrfa:t:p:m:c:C:")) != -1) {
        switch (ch) {
        case 'b': bufcnt = atoi(optarg); break;
        case 'd': omode |= O_DIRECT; break;
        case 's': omode |= O_SYNC; break;
        case 'r': readonly = true; break;
        case 'f': syncflush = true; break;
        case 'a': counters = optarg; break;
        case 't': trace = optarg; break;
        case 'p': stats = optarg; break;
        case 'm': masks = optarg; break;
        case 'c':
        case 'C':
            overlays = optarg;
            fresh = ch == 'C';
            break;
        default: usage();
        }
    }
    argc -= optind;
    argv += optind;
    if (argc != 4) usage();
    if (bufcnt < 1 || bufcnt > MAX_BUFCNT) {
        fprintf(stderr, "aoe-parallel: -b %d: the buffer count is 1 to %d\n", bufcnt, MAX_BUFCNT);
        exit(1);
    }
    if (overlays && readonly) {
        fprintf(stderr, "aoe-parallel: -r and -%c: a read-only export has no writes to keep in overlays; use one\n",
                fresh ? 'C' : 'c');
        exit(1);
    }
    int extra = omode; /* O_DIRECT, O_SYNC: the overlays get them too */
    omode |= readonly || overlays ? O_RDONLY : O_RDWR;
    int fd = open(argv[3], omode);
    if (fd < 0) {
        perror("open");
        exit(1);
    }
    int shelf = atoi(argv[0]), slot = atoi(argv[1]);
    long long sectors = size_bytes(fd) / 512;
    if (sectors <= 0) {
        fputs("0-sector file size is too small\n", stderr);
        exit(1);
    }
    static overlay_store store;
    if (overlays && overlay_store_open(&store, overlays, (uint64_t)sectors, extra, fresh) < 0) exit(1);
    aoe_wire wire;
    if (wire_open(&wire, argv[2], bufcnt) < 0) return 1;

    char host[33] = "", serial[64];
    gethostname(host, sizeof host - 1);
    snprintf(serial, sizeof serial, "%d.%d:%s", shelf, slot, host);
    serial[ATA_SERIAL_LEN - 1] = '\0'; /* vblade's serial: at most 19 characters */
    aoe_target target;
    target_init(&target, (uint16_t)shelf, (uint8_t)slot, wire.mac, (uint16_t)bufcnt);
    ata_drive_init(&target.drive, (uint64_t)sectors, aoe_sectors_per_frame((unsigned)wire.mtu), readonly, syncflush,
                   serial);
    for (char *m = masks ? strtok(masks, ",") : NULL; m; m = strtok(NULL, ",")) {
        uint8_t mac[6];
        if (!parse_mac(m, mac))
            fprintf(stderr, "ignoring mask %s, parseether failure\n", m);
        else if (!target_add_mask(&target, mac))
            fprintf(stderr, "ignoring mask %s, at most %d masks\n", m, TARGET_MAX_MASKS);
    }

    /* vblade's startup line (tests and logs read the open flags from it), then ours */
    printf("pid %ld: e%d.%d, %lld sectors %s\n", (long)getpid(), shelf, slot, sectors, open_flags(omode));
    printf("aoe-parallel: %d buffers (requests in flight), io_uring, %u sectors per frame\n", bufcnt,
           target.drive.max_sectors);
    fflush(stdout);
    acct_init(counters, trace, stats, open_flags(omode));

    /* announce the target: to each allowed MAC, or to everyone */
    static uint8_t frame[AOE_CFG_HDR_LEN + TARGET_CONFIG_MAX];
    static const uint8_t broadcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
    for (int i = 0; i < (target.nmasks ? target.nmasks : 1); i++) {
        uint8_t *out = frame;
        size_t len = target_advertisement(&target, frame, target.nmasks ? target.masks[i] : broadcast);
        if (wire_send(&wire, &out, &len, 1) < 0) perror("aoe-parallel: advertisement");
    }
    return server_run(&target, &wire, fd, overlays ? &store : NULL, bufcnt);
}
