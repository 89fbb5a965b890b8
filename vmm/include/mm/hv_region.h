/* SPDX-License-Identifier: MIT */
/* The physical memory the hypervisor took for itself, and how much physical address space it
 * identity-maps. Set once during boot (before relocation, so the copy carries it). */
#ifndef MM_HV_REGION_H
#define MM_HV_REGION_H

#include <stdbool.h>
#include <stdint.h>

struct hv_region {
    uint64_t base, size; /* 2 MiB aligned; hidden from the guest */
    uint64_t image_size;
    uint64_t identity_limit; /* physical addresses below this are mapped 1:1 (host and NPT) */
};

extern struct hv_region hv_region;

static inline bool hv_region_overlaps(uint64_t pa, uint64_t len) {
    return pa < hv_region.base + hv_region.size && hv_region.base < pa + len;
}

#endif
