/* SPDX-License-Identifier: MIT */
/* The hypervisor's console log: every line carries a TSC timestamp (seconds since the
 * hypervisor started) and the prefix "vmm:", so host-side tools can find our lines. */
#ifndef CONSOLE_LOG_H
#define CONSOLE_LOG_H

void log_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Continues the current line: no timestamp or prefix. */
void log_printf_continue(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
__attribute__((noreturn)) void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* What panic() prints after its message, e.g. the guest's state: the CPU backend registers it
 * once there is a guest (the console knows nothing about backends). */
typedef void panic_hook(void);
void panic_set_hook(panic_hook *hook);

#endif
