/* SPDX-License-Identifier: MIT */
/* Boot-time device management (the paper's VMM finds its AoE target before the guest runs):
 * NIC up, target discovered, IDENTIFY DEVICE and LBA 0 read through AoE, all reported on the
 * hypervisor console. */
#ifndef AOE_AOE_BOOT_H
#define AOE_AOE_BOOT_H

#include "aoe/aoe_client.h"
#include "boot/config.h"
#include "net/nic.h"
#include "pci/pci.h"

/* Does nothing unless the aoe= option was given. Never stops the boot: failures are logged. */
void aoe_boot_setup(const struct hv_config *config);

/* After aoe_boot_setup found a target that answered IDENTIFY: the client and NIC that serve the
 * guest's disk, and the NIC's PCI address (to hide it). False otherwise. */
bool aoe_boot_session(struct aoe_client **client, struct nic **nic, struct pci_address *nic_address);

/* The statistics of the guest's network disk, or NULL without an AoE session. */
struct aoe_stats *aoe_boot_stats(void);

#endif
