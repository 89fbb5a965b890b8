/* SPDX-License-Identifier: MIT */
#include "lib/format.h"

#include <stdbool.h>
#include <stdint.h>

struct sink {
    char *buf;
    size_t size;
    size_t pos;
};

static void put(struct sink *s, char c) {
    if (s->pos + 1 < s->size) s->buf[s->pos] = c;
    s->pos++;
}

static void put_number(struct sink *s, uint64_t value, unsigned base, bool negative, unsigned width, char pad) {
    char digits[24];
    unsigned n = 0;
    do {
        unsigned d = (unsigned)(value % base);
        digits[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
        value /= base;
    } while (value);
    if (negative) digits[n++] = '-';
    while (width > n) {
        put(s, pad);
        width--;
    }
    while (n) put(s, digits[--n]);
}

int format_v(char *buf, size_t size, const char *fmt, va_list args) {
    struct sink s = { buf, size, 0 };
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            put(&s, *fmt);
            continue;
        }
        fmt++;
        char pad = ' ';
        if (*fmt == '0') {
            pad = '0';
            fmt++;
        }
        unsigned width = 0;
        while (*fmt >= '0' && *fmt <= '9') width = width * 10 + (unsigned)(*fmt++ - '0');
        unsigned longs = 0;
        while (*fmt == 'l') {
            longs++;
            fmt++;
        }
        switch (*fmt) {
        case 'd': {
            int64_t v = longs ? va_arg(args, int64_t) : va_arg(args, int);
            put_number(&s, v < 0 ? (uint64_t)-v : (uint64_t)v, 10, v < 0, width, pad);
            break;
        }
        case 'u': put_number(&s, longs ? va_arg(args, uint64_t) : va_arg(args, unsigned), 10, false, width, pad); break;
        case 'x': put_number(&s, longs ? va_arg(args, uint64_t) : va_arg(args, unsigned), 16, false, width, pad); break;
        case 'p':
            put(&s, '0');
            put(&s, 'x');
            put_number(&s, (uint64_t)(uintptr_t)va_arg(args, void *), 16, false, 0, '0');
            break;
        case 'c': put(&s, (char)va_arg(args, int)); break;
        case 's': {
            const char *str = va_arg(args, const char *);
            if (!str) str = "(null)";
            while (*str) put(&s, *str++);
            break;
        }
        case '%': put(&s, '%'); break;
        default: /* unknown conversion: print it literally so the mistake is visible */
            put(&s, '%');
            if (*fmt)
                put(&s, *fmt);
            else
                fmt--;
            break;
        }
    }
    if (size) buf[s.pos < size ? s.pos : size - 1] = '\0';
    return (int)s.pos;
}

int format(char *buf, size_t size, const char *fmt, ...) {
    va_list args;
    va_start(args, fmt);
    int n = format_v(buf, size, fmt, args);
    va_end(args);
    return n;
}
