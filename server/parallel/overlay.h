/* SPDX-License-Identifier: MIT */
/* Per-client copy-on-write overlays (-c DIR keeps them, -C DIR discards them at start): every
 * client MAC that writes gets two files in DIR, named by its MAC:
 *   525400a0e003.img  sparse, the size of the base image; the client's written sectors at their
 *                     own offsets
 *   525400a0e003.map  a one-page text header (format, base sectors, MAC), then cow_map.h's bitmap
 * The base image is opened read-only, so no client's write can reach it. A client that has not
 * written reads the base; the overlay is created at its first write, or taken up again from DIR
 * when the server restarts (kept overlays survive restarts; a client rides through the restart by
 * retransmitting). Durability as a disk's with -f: FLUSH CACHE then syncs the client's data and
 * writes its map back to DIR after it; without -f, as for the image, data and map reach DIR when
 * the kernel writes them back (a server restart keeps them; a crash of its machine may not). */
#ifndef PARALLEL_OVERLAY_H
#define PARALLEL_OVERLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    OVERLAY_NONE,   /* the client has not written: it reads the base */
    OVERLAY_READY,  /* its files are open */
    OVERLAY_BROKEN, /* its files cannot be used (said on stderr once): its I/O fails */
} overlay_state;

typedef struct {
    uint8_t mac[6];
    overlay_state state;
    unsigned id;  /* 1, 2, ...: a client's number in this run (0 stands for the base) */
    int fd;       /* the .img file */
    uint8_t *map; /* cow_map.h bitmap, mapped from the .map file */
    void *mapping;
    size_t mapping_bytes;
} overlay;

typedef struct {
    char dir[4096];
    uint64_t sectors; /* of the base */
    int omode;        /* extra open(2) flags of the .img files: the base's O_DIRECT / O_SYNC */
    overlay **clients;
    unsigned nclients, cap;
} overlay_store;

/* Prepares DIR (created if missing) for a base of `sectors`; with fresh, removes the overlays
 * an earlier run left there and says so on stdout. Returns 0, or -1 with a message on stderr. */
int overlay_store_open(overlay_store *st, const char *dir, uint64_t sectors, int omode, bool fresh);

/* The client's entry, made at its first frame: READY when DIR holds its overlay from an earlier
 * run, else NONE (or BROKEN when DIR holds one that does not fit the base). */
overlay *overlay_client(overlay_store *st, const uint8_t mac[6]);

/* Makes a NONE client's overlay files, empty; the client becomes READY, or BROKEN. */
void overlay_make(overlay_store *st, overlay *o);

/* Writes the client's map back to DIR (after its data was synced): FLUSH CACHE. 0 or -errno. */
int overlay_sync_map(overlay *o);

#endif
