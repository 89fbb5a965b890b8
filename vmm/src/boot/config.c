/* SPDX-License-Identifier: MIT */
#include "boot/config.h"

#include <stddef.h>

#include "lib/format.h"
#include "lib/string.h"

typedef bool (*option_parser)(const char *value, size_t length, struct hv_config *config);

static bool parse_number(const char *s, size_t length, uint64_t *out) {
    uint64_t value = 0;
    unsigned base = 10;
    if (length > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
        length -= 2;
    }
    if (!length) return false;
    for (size_t i = 0; i < length; i++) {
        char c = s[i];
        unsigned digit;
        if (c >= '0' && c <= '9')
            digit = (unsigned)(c - '0');
        else if (base == 16 && c >= 'a' && c <= 'f')
            digit = (unsigned)(c - 'a' + 10);
        else if (base == 16 && c >= 'A' && c <= 'F')
            digit = (unsigned)(c - 'A' + 10);
        else
            return false;
        value = value * base + digit;
        if (value > 0xFFFFFFFFu) return false;
    }
    *out = value;
    return true;
}

static bool equals(const char *s, size_t length, const char *word) {
    return strlen(word) == length && !strncmp(s, word, length);
}

static bool parse_console(const char *v, size_t n, struct hv_config *c) {
    uint64_t port;
    if (equals(v, n, "com1"))
        c->console_port = 0x3F8;
    else if (equals(v, n, "com2"))
        c->console_port = 0x2F8;
    else if (parse_number(v, n, &port) && port && port <= 0xFFF8)
        c->console_port = (uint16_t)port;
    else
        return false;
    return true;
}

static bool parse_memory(const char *v, size_t n, struct hv_config *c) {
    uint64_t mib;
    /* Whole 2 MiB pages, and enough for page tables, VMCB and buffers. */
    if (!parse_number(v, n, &mib) || mib < 8 || mib > 1024 || mib % 2) return false;
    c->memory_mib = (uint32_t)mib;
    return true;
}

static bool parse_boot_drive(const char *v, size_t n, struct hv_config *c) {
    uint64_t drive;
    if (!parse_number(v, n, &drive) || drive < 0x80 || drive > 0xFF) return false;
    c->boot_drive = (uint8_t)drive;
    return true;
}

/* A two-valued option: `off` or `on`. */
static bool parse_flag(const char *v, size_t n, const char *off, const char *on, bool *flag) {
    if (equals(v, n, off))
        *flag = false;
    else if (equals(v, n, on))
        *flag = true;
    else
        return false;
    return true;
}

static bool parse_verbose(const char *v, size_t n, struct hv_config *c) {
    return parse_flag(v, n, "0", "1", &c->verbose);
}

static bool parse_aoe(const char *v, size_t n, struct hv_config *c) {
    if (equals(v, n, "auto")) {
        c->aoe_shelf = 0xFFFF;
        c->aoe_slot = 0xFF;
    } else {
        size_t dot = 0;
        while (dot < n && v[dot] != '.') dot++;
        uint64_t shelf, slot;
        /* 0xFFFF and 0xFF are the protocol's wildcards, not addresses. */
        if (dot == n || !parse_number(v, dot, &shelf) || !parse_number(v + dot + 1, n - dot - 1, &slot) ||
            shelf >= 0xFFFF || slot >= 0xFF)
            return false;
        c->aoe_shelf = (uint16_t)shelf;
        c->aoe_slot = (uint8_t)slot;
    }
    c->aoe = true;
    return true;
}

static bool parse_mtu(const char *v, size_t n, struct hv_config *c) {
    if (equals(v, n, "1500"))
        c->mtu = 1500;
    else if (equals(v, n, "9000"))
        c->mtu = 9000;
    else
        return false;
    return true;
}

static bool parse_aoe_wait(const char *v, size_t n, struct hv_config *c) {
    uint64_t seconds;
    if (!parse_number(v, n, &seconds) || !seconds || seconds > 3600) return false;
    c->aoe_wait_s = (uint16_t)seconds;
    return true;
}

static bool parse_aoe_deadline(const char *v, size_t n, struct hv_config *c) {
    uint64_t seconds;
    if (!parse_number(v, n, &seconds) || seconds > 86400) return false;
    c->aoe_deadline_s = (uint32_t)seconds;
    return true;
}

static bool parse_hypercalls(const char *v, size_t n, struct hv_config *c) {
    return parse_flag(v, n, "kernel", "any", &c->user_hypercalls);
}

static bool parse_ata_regs(const char *v, size_t n, struct hv_config *c) {
    return parse_flag(v, n, "all", "split", &c->split_registers);
}

static bool parse_aoe_completion(const char *v, size_t n, struct hv_config *c) {
    return parse_flag(v, n, "async", "blocking", &c->blocking_completion);
}

static bool parse_aoe_share(const char *v, size_t n, struct hv_config *c) {
    uint64_t percent;
    if (!parse_number(v, n, &percent) || percent < 1 || percent > 99) return false;
    c->aoe_share_percent = (uint8_t)percent;
    return true;
}

static const struct option {
    const char *key;
    option_parser parse;
    const char *accepted;
} options[] = {
    { "console", parse_console, "com1, com2 or an I/O port such as 0x2f8" },
    { "vmm_mem", parse_memory, "an even number of MiB from 8 to 1024" },
    { "boot_drive", parse_boot_drive, "a BIOS hard-disk number from 0x80 to 0xff" },
    { "verbose", parse_verbose, "0 or 1" },
    { "aoe", parse_aoe, "auto or <shelf>.<slot> such as 0.1" },
    { "mtu", parse_mtu, "1500 or 9000" },
    { "aoe_wait", parse_aoe_wait, "seconds from 1 to 3600" },
    { "aoe_deadline", parse_aoe_deadline, "seconds from 0 (retry forever) to 86400" },
    { "hypercalls", parse_hypercalls, "kernel (ring 0 only) or any (user space too)" },
    { "ata_regs", parse_ata_regs, "all (trap the whole task file) or split (count and LBA at the real device)" },
    { "aoe_completion", parse_aoe_completion,
      "async (the guest runs while frames are in flight) or blocking (the exit waits for the answer)" },
    { "aoe_share", parse_aoe_share,
      "a percentage from 1 to 99 (the network disk's CPU share while the guest computes)" },
};

#define KNOWN_KEYS                                                                                                     \
    "known keys: console, vmm_mem, boot_drive, verbose, aoe, mtu, aoe_wait, aoe_deadline, hypercalls, ata_regs, "      \
    "aoe_completion, aoe_share"

static void copy_word(char *dst, size_t size, const char *src, size_t length) {
    size_t n = length < size - 1 ? length : size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static void set_defaults(struct hv_config *c) {
    c->console_port = 0x2F8;
    c->memory_mib = 32;
    c->boot_drive = 0x80;
    c->verbose = false;
    c->aoe = false;
    c->mtu = 1500;
    c->aoe_wait_s = 30;
    c->aoe_deadline_s = 180;
    c->user_hypercalls = false;
    c->split_registers = false;
    c->blocking_completion = false;
    c->aoe_share_percent = 50;
}

bool config_parse(const char *cmdline, struct hv_config *config, char *error, unsigned long error_size) {
    set_defaults(config);
    const char *p = cmdline ? cmdline : "";
    bool first = true;
    while (*p) {
        while (*p == ' ') p++;
        const char *word = p;
        while (*p && *p != ' ') p++;
        size_t length = (size_t)(p - word);
        if (!length) continue;
        char shown[32];
        copy_word(shown, sizeof shown, word, length);
        const char *eq = word;
        while (eq < p && *eq != '=') eq++;
        if (eq == p) {
            if (first) {
                first = false;
                continue;
            } /* the image name */
            format(error, error_size, "option '%s' has no '=': write key=value (%s)", shown, KNOWN_KEYS);
            return false;
        }
        first = false;
        size_t key_length = (size_t)(eq - word);
        const struct option *option = NULL;
        for (size_t i = 0; i < sizeof options / sizeof options[0]; i++) {
            if (equals(word, key_length, options[i].key)) option = &options[i];
        }
        char key[32];
        copy_word(key, sizeof key, word, key_length);
        if (!option) {
            format(error, error_size, "unknown option '%s' (%s)", key, KNOWN_KEYS);
            return false;
        }
        if (!option->parse(eq + 1, (size_t)(p - eq - 1), config)) {
            format(error, error_size, "bad value for '%s': expected %s", key, option->accepted);
            return false;
        }
    }
    return true;
}
