/* SPDX-License-Identifier: MIT */
/* A network interface as the AoE client sees it: raw Ethernet frames in and out, polled.
 * Hardware-neutral; a driver (net/e1000.h) fills one in. */
#ifndef NET_NIC_H
#define NET_NIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nic {
    uint8_t mac[6];
    unsigned mtu; /* payload bytes per frame (1500 or 9000); frames are up to mtu + 14 + 4 (VLAN) */
    /* Queues one frame (destination MAC first, no FCS) for the next doorbell; false when the
     * transmit ring has no free slot (one always stays free, so a full ring never looks empty). */
    bool (*send)(struct nic *nic, const void *frame, size_t len);
    /* The next received frame where the hardware put it, its length in *len; NULL when none is
     * waiting. Not copied: it stays valid until the next doorbell, which hands its buffer back to
     * the hardware. Frames received with errors or split over buffers are dropped (counted by the
     * driver). */
    const void *(*poll_receive)(struct nic *nic, size_t *len);
    /* Hands the hardware every frame queued and every receive buffer emptied since the last
     * call: one register write each, so a burst costs one, not one per frame. */
    void (*doorbell)(struct nic *nic);
    /* Whether the link is up now. */
    bool (*link_up)(struct nic *nic);
    void *driver; /* the driver's own state */
};

/* The longest frame for an MTU, without FCS: header + payload (we send no VLAN tag). */
#define NIC_ETH_HEADER 14u

#endif
