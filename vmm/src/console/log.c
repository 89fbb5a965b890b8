/* SPDX-License-Identifier: MIT */
#include "console/log.h"

#include <stdarg.h>

#include "console/serial.h"
#include "lib/format.h"
#include "lib/string.h"
#include "x86/cpu.h"
#include "x86/tsc.h"

static void log_v(const char *prefix, const char *fmt, va_list args) {
    char line[512];
    uint64_t us = tsc_to_us(rdtsc() - tsc_boot);
    int n = format(line, sizeof line, "[%5lu.%06lu] vmm: %s", us / 1000000, us % 1000000, prefix);
    if (n < 0 || (unsigned)n >= sizeof line) n = 0;
    format_v(line + n, sizeof line - (unsigned)n, fmt, args);
    serial_write(line, strlen(line));
}

void log_printf(const char *fmt, ...) {
    va_list args;
    va_start(args, fmt);
    log_v("", fmt, args);
    va_end(args);
}

void log_printf_continue(const char *fmt, ...) {
    char text[256];
    va_list args;
    va_start(args, fmt);
    format_v(text, sizeof text, fmt, args);
    va_end(args);
    serial_write(text, strlen(text));
}

static panic_hook *registered_hook;

void panic_set_hook(panic_hook *hook) { registered_hook = hook; }

void panic(const char *fmt, ...) {
    va_list args;
    va_start(args, fmt);
    log_v("PANIC: ", fmt, args);
    va_end(args);
    if (registered_hook) registered_hook();
    log_printf("halted.\n");
    cpu_halt_forever();
}
