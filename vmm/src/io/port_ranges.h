/* SPDX-License-Identifier: MIT */
/* The table of I/O port ranges the hypervisor claims, and which handler an access reaches.
 * Pure: io_dispatch.c owns the table and sets the CPU's intercepts; host tests use it directly. */
#ifndef IO_PORT_RANGES_H
#define IO_PORT_RANGES_H

#include "io/io_exit.h"

#define PORT_RANGES_MAX 16

struct port_range {
    uint16_t first, count;
    const struct io_port_handler *handler;
};

struct port_ranges {
    struct port_range range[PORT_RANGES_MAX];
    unsigned count;
};

/* Adds [first, first + count); false when the table is full. */
bool port_ranges_add(struct port_ranges *t, uint16_t first, uint16_t count, const struct io_port_handler *handler);

/* Removes the range added at `first` and returns its length (0: none was). */
uint16_t port_ranges_remove(struct port_ranges *t, uint16_t first);

/* The handler that claims `port`, or 0 when the port is the hardware's. */
const struct io_port_handler *port_ranges_handler(const struct port_ranges *t, uint16_t port);

/* True when the access is the handler's of its first port: every byte of it is claimed, by any
 * handler (a 16- or 32-bit transfer at the ATA data port 1F0h is one register although 1F1h-1F3h
 * belong to the command block). False when some bytes are claimed and some are the hardware's
 * (a 32-bit IN at 1EEh): such an access is split into bytes, each sent where its own port goes. */
bool port_ranges_whole(const struct port_ranges *t, uint16_t port, unsigned size);

#endif
