/* SPDX-License-Identifier: MIT */
#include "lib/string.h"

#include <stdint.h>

/* A machine word at any address (x86 allows unaligned loads and stores), exempt from strict aliasing. */
typedef uint64_t __attribute__((may_alias, aligned(1))) any_word;

/* Eight bytes per step: the AoE path copies every sector two or three times (ring, command
 * buffer, guest memory), and under an emulator each loop step costs several host instructions. */
void *memcpy(void *dst, const void *src, size_t n) {
    unsigned char *d = dst;
    const unsigned char *s = src;
    for (; n >= sizeof(any_word); n -= sizeof(any_word), d += sizeof(any_word), s += sizeof(any_word))
        *(any_word *)d = *(const any_word *)s;
    while (n--) *d++ = *s++;
    return dst;
}

void *memmove(void *dst, const void *src, size_t n) {
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (d < s) {
        while (n--) *d++ = *s++;
    } else {
        while (n--) d[n] = s[n];
    }
    return dst;
}

void *memset(void *dst, int value, size_t n) {
    unsigned char *d = dst;
    while (n--) *d++ = (unsigned char)value;
    return dst;
}

int memcmp(const void *a, const void *b, size_t n) {
    const unsigned char *x = a, *y = b;
    for (size_t i = 0; i < n; i++) {
        if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
    }
    return 0;
}

size_t strlen(const char *s) {
    size_t n = 0;
    while (s[n]) n++;
    return n;
}

int strncmp(const char *a, const char *b, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (a[i] != b[i]) return (unsigned char)a[i] < (unsigned char)b[i] ? -1 : 1;
        if (!a[i]) return 0;
    }
    return 0;
}
