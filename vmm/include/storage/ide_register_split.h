/* SPDX-License-Identifier: MIT */
/* The paper's register split on a real IDE channel: Sector Count and LBA Low/Mid/High stay with
 * the device behind the captured ports (the placeholder disk at POST), and the emulated channel
 * reads them from it when a command is written (struct ata_register_device). Port sequences
 * only, through struct ide_ports: the platform's inb/outb in the hypervisor, a fake in host tests. */
#ifndef STORAGE_IDE_REGISTER_SPLIT_H
#define STORAGE_IDE_REGISTER_SPLIT_H

#include <stdbool.h>
#include <stdint.h>

#include "ata/ata_channel.h"

struct ide_ports {
    void *ctx;
    uint16_t command_block; /* 1F0h on the primary channel */
    uint16_t control;       /* 3F6h */
    uint8_t (*in)(void *ctx, uint16_t port);
    void (*out)(void *ctx, uint16_t port, uint8_t value);
};

/* Whether a device answers behind the ports: its Sector Count and LBA registers hold what is
 * written, with the previous values behind HOB. Leaves the device with interrupts disabled
 * (nIEN): it never runs a command, so it never needs one. */
bool ide_register_split_probe(struct ide_ports *ports);

/* The channel's view of that device; `ports` must outlive it. */
struct ata_register_device ide_register_split_device(struct ide_ports *ports);

#endif
