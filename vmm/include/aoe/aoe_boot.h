/* Boot-time device management (the paper's VMM finds its AoE target before the guest runs):
 * NIC up, target discovered, IDENTIFY DEVICE and LBA 0 read through AoE, all reported on the
 * hypervisor console. */
#ifndef AOE_AOE_BOOT_H
#define AOE_AOE_BOOT_H

#include "boot/config.h"

/* Does nothing unless the aoe= option was given. Never stops the boot: failures are logged. */
void aoe_boot_setup(const struct hv_config *config);

#endif
