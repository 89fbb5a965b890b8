/* VMMCALL from the guest: either a trap from one of our BIOS hook stubs (recognised by where it
 * sits) or a request from a guest-side tool (function code in EAX). */
#ifndef HV_HYPERCALL_H
#define HV_HYPERCALL_H

#include "hv/vcpu.h"

/* Guest tool ABI: EAX = function; results in EAX (HYPERCALL_UNKNOWN for anything else). */
#define HYPERCALL_PING         0x564D0001u   /* returns HYPERCALL_PONG */
#define HYPERCALL_LOG_STATS    0x564D0002u   /* prints exit counts on the hypervisor console */
#define HYPERCALL_PONG         0x564D4F4Bu   /* "VMOK" */
#define HYPERCALL_UNKNOWN      0xFFFFFFFFu

void hypercall_handle(struct vcpu *v, unsigned insn_length);

#endif
