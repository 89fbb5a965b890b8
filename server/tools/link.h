/* SPDX-License-Identifier: MIT */
/* An AF_PACKET socket on one interface carrying only AoE frames (EtherType 0x88A2). */
#ifndef LINK_H
#define LINK_H
#include <stddef.h>
#include <stdint.h>

typedef struct {
    int fd;
    int ifindex;
    uint8_t mac[6];
    unsigned mtu;
} aoe_link;

/* Opens the interface; on failure prints why to stderr and returns -1. */
int link_open(aoe_link *link, const char *ifname);
/* Sends one frame; returns 0, or -1 with errno. */
int link_send(const aoe_link *link, const uint8_t *frame, size_t len);
/* Waits up to timeout_ns for one frame; returns its length, 0 on timeout, -1 on error. */
long link_recv(const aoe_link *link, uint8_t *buf, size_t cap, uint64_t timeout_ns);
/* Monotonic clock in nanoseconds. */
uint64_t now_ns(void);

#endif
