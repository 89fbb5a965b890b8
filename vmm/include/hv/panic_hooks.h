/* SPDX-License-Identifier: MIT */
/* What panic() prints besides its message: the guest's state, when there is a guest. */
#ifndef HV_PANIC_HOOKS_H
#define HV_PANIC_HOOKS_H

void panic_dump_guest_state(void);

#endif
