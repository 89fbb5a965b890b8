/* SPDX-License-Identifier: MIT */
/* printf-style formatting into a caller's buffer: %s %c %d %u %x %p %%, flags '0' and width,
 * length modifiers l and ll. Always NUL-terminates; returns the length it wanted to write. */
#ifndef LIB_FORMAT_H
#define LIB_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

int format_v(char *buf, size_t size, const char *fmt, va_list args);
int format(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
