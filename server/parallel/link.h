/* SPDX-License-Identifier: MIT */
/* The wire of aoe-parallel: an AF_PACKET raw socket bound to one interface and EtherType
 * 0x88A2, read and written in batches (recvmmsg/sendmmsg: one system call for a window). */
#ifndef PARALLEL_LINK_H
#define PARALLEL_LINK_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    int fd;
    uint8_t mac[6];
    int mtu;
} aoe_wire;

/* Opens the socket on ifname with buffers for bufcnt frames each way; prints why on failure. */
int wire_open(aoe_wire *w, const char *ifname, int bufcnt);

/* Receives up to n frames without waiting into bufs[i] (cap bytes each); lens[i] gets each
 * length. Returns the count, 0 when nothing is queued, -1 on error (errno). */
int wire_recv(const aoe_wire *w, uint8_t *const *bufs, size_t cap, size_t *lens, int n);

/* Sends n frames; returns 0, or -1 on error (errno). */
int wire_send(const aoe_wire *w, uint8_t *const *bufs, const size_t *lens, int n);

#endif
