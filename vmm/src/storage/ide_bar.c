/* SPDX-License-Identifier: MIT */
#include "storage/ide_bar.h"

uint16_t ide_bus_master_base(uint32_t bar4) {
    if (!(bar4 & 1)) return 0;                 /* not an I/O BAR */
    uint16_t base = (uint16_t)(bar4 & 0xFFF0); /* 16 ports, 16-aligned */
    return base < 0xFFF0 ? base : 0;
}
