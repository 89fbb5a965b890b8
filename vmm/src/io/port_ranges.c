/* SPDX-License-Identifier: MIT */
#include "port_ranges.h"

bool port_ranges_add(struct port_ranges *t, uint16_t first, uint16_t count, const struct io_port_handler *handler) {
    if (t->count == PORT_RANGES_MAX) return false;
    t->range[t->count++] = (struct port_range){ first, count, handler };
    return true;
}

uint16_t port_ranges_remove(struct port_ranges *t, uint16_t first) {
    for (unsigned i = 0; i < t->count; i++) {
        if (t->range[i].first != first) continue;
        uint16_t count = t->range[i].count;
        t->range[i] = t->range[--t->count];
        return count;
    }
    return 0;
}

const struct io_port_handler *port_ranges_handler(const struct port_ranges *t, uint16_t port) {
    for (unsigned i = 0; i < t->count; i++)
        if (port >= t->range[i].first && port - t->range[i].first < t->range[i].count) return t->range[i].handler;
    return 0;
}

bool port_ranges_whole(const struct port_ranges *t, uint16_t port, unsigned size) {
    for (unsigned i = 0; i < size; i++)
        if (!port_ranges_handler(t, (uint16_t)(port + i))) return false;
    return true;
}
