/* SPDX-License-Identifier: MIT */
/* VMMCALL from the guest: either a trap from one of our BIOS hook stubs (recognised by where it
 * sits) or a request from a guest-side tool (function code in EAX). */
#ifndef HV_HYPERCALL_H
#define HV_HYPERCALL_H

#include "hv/cpu_backend.h"

/* Guest tool ABI (guest/netboot-bench/hypercall.py): EAX = function, result in EAX.
 * HYPERCALL_UNKNOWN for a function we do not have, HYPERCALL_NO_AOE for an AoE function when the
 * guest's disk is local. Ring 0 only by default: elsewhere VMMCALL raises #UD, as on a PC without
 * the hypervisor, so no user process can flood its console or reset its counters. With
 * hypercalls=any (the measurement runs) any privilege level may call. */
#define HYPERCALL_PING 0x564D0001u            /* returns HYPERCALL_PONG */
#define HYPERCALL_LOG_STATS 0x564D0002u       /* prints exit counts on the hypervisor console */
#define HYPERCALL_AOE_STATS_RESET 0x564D0003u /* zeroes the AoE statistics (start of an interval) */
#define HYPERCALL_AOE_STATS_LOG 0x564D0004u   /* prints them (aoe_stats_log format; end of an interval) */
#define HYPERCALL_PONG 0x564D4F4Bu            /* "VMOK" */
#define HYPERCALL_OK 0u
#define HYPERCALL_NO_AOE 0xFFFFFFFEu
#define HYPERCALL_UNKNOWN 0xFFFFFFFFu

void hypercall_handle(struct vcpu *v, unsigned insn_length);
void hypercall_allow_user(bool allowed);

#endif
