/* SPDX-License-Identifier: MIT */
/* The paper's storage access capture: the primary IDE channel's registers (command block,
 * device control, and its half of the bus-master block) are trapped and served by the emulated
 * ATA channel (src/ata/), whose medium is the AoE target. The secondary channel (CD/DVD) and
 * every other device stay passed through. */
#ifndef STORAGE_IDE_CAPTURE_H
#define STORAGE_IDE_CAPTURE_H

#include <stdbool.h>

#include "ata/ata_backend.h"
#include "hv/cpu_backend.h"

/* Finds the PIIX IDE controller, claims the primary channel's ports and follows moves of its
 * bus-master BAR. With `split_registers` (ata_regs=split) Sector Count and LBA stay with the real
 * device behind the channel (src/storage/ide_register_split.c), if one answers there; otherwise
 * the whole task file is trapped, and the console says why. False (with a console message) when
 * there is no IDE controller. */
bool ide_capture_init(struct vcpu *v, struct ata_backend backend, bool split_registers);

#endif
