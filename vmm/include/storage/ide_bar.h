/* SPDX-License-Identifier: MIT */
/* Decoding of the PIIX IDE function's bus-master BAR (BAR4, "BMIBA"): pure, host-tested. */
#ifndef STORAGE_IDE_BAR_H
#define STORAGE_IDE_BAR_H

#include <stdint.h>

/* The I/O base of the 16 bus-master ports a BAR4 value names, or 0 when it names none: a memory
 * BAR, a zero base, or the all-ones pattern the guest writes (and reads back, 0xFFF1 or
 * 0xFFFFFFF1) while it sizes the BAR. */
uint16_t ide_bus_master_base(uint32_t bar4);

#endif
