/* SPDX-License-Identifier: MIT */
/* AoE targets: discovery by Query Config broadcast. */
#ifndef TARGET_H
#define TARGET_H
#include <stdint.h>

#include "link.h"

typedef struct {
    uint8_t mac[6];
    uint16_t shelf;
    uint8_t slot;
    uint16_t buffer_count;
    uint16_t firmware;
    uint8_t sectors_per_frame;
    uint16_t config_len;
    char config[1025];
} aoe_target;

/* Broadcasts a Query Config for shelf/slot (AOE_SHELF_ANY/AOE_SLOT_ANY match all) and collects
 * answers for wait_ns, resending every 100 ms (the first may be lost while a link comes up).
 * Returns the number of distinct targets stored in found (at most max), -1 on a socket error. */
int discover(const aoe_link *link, uint16_t shelf, uint8_t slot, uint64_t wait_ns, aoe_target *found, int max);

#endif
