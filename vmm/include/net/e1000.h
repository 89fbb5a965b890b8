/* SPDX-License-Identifier: MIT */
/* Intel PRO/1000 driver for the 8254x family with the classic register set: 82540EM (8086:100E,
 * QEMU's "e1000") and 82545EM (8086:100F, QEMU's "e1000-82545em"). Legacy descriptors, polled,
 * every interrupt masked. Jumbo frames up to MTU 9000. */
#ifndef NET_E1000_H
#define NET_E1000_H

#include <stdbool.h>

#include "net/nic.h"
#include "pci/pci.h"

/* Finds the first supported NIC, resets it, reads its MAC, sets up the rings in hypervisor
 * memory and starts TX and RX. Returns NULL (after logging why) when there is none. Does not
 * wait for the link: see e1000_wait_link. */
struct nic *e1000_open(unsigned mtu, struct pci_address *where);

/* Polls the link state up to timeout_ms; true once it is up. */
bool e1000_wait_link(struct nic *nic, unsigned timeout_ms);

#endif
