/* SPDX-License-Identifier: MIT */
/* E820 memory map normalization, punching, free-range search and legacy size answers. */
#include "mm/e820.h"

#define MIB (1024ull * 1024)
#define GIB (1024 * MIB)

/* End of an entry, saturated so a length reaching past 2^64 cannot wrap. */
static uint64_t entry_end(const struct e820_entry *e) {
    return e->length > UINT64_MAX - e->base ? UINT64_MAX : e->base + e->length;
}

static void set_end(struct e820_entry *e, uint64_t end) { e->length = end - e->base; }

/* Which type wins where entries overlap: the riskier one to hand out as RAM. Different types
 * of one class (reserved vs an unknown type) are ordered by number to stay deterministic. */
static uint64_t precedence(uint32_t type) {
    uint64_t class;
    switch (type) {
    case E820_USABLE: class = 0; break;
    case E820_ACPI: class = 1; break;
    case E820_NVS: class = 2; break;
    case E820_UNUSABLE: class = 4; break;
    default: class = 3; break;
    }
    return class << 32 | type;
}

static void remove_at(struct e820_entry *map, size_t *count, size_t index) {
    for (size_t i = index; i + 1 < *count; i++) map[i] = map[i + 1];
    (*count)--;
}

/* Inserts keeping the order by base; the caller has checked capacity. */
static void insert_sorted(struct e820_entry *map, size_t *count, struct e820_entry entry) {
    size_t i = *count;
    while (i > 0 && map[i - 1].base > entry.base) {
        map[i] = map[i - 1];
        i--;
    }
    map[i] = entry;
    (*count)++;
}

/* Moves map[index] later until the order by base holds again (its base has grown). */
static void resort_forward(struct e820_entry *map, size_t count, size_t index) {
    while (index + 1 < count && map[index + 1].base < map[index].base) {
        struct e820_entry swap = map[index];
        map[index] = map[index + 1];
        map[index + 1] = swap;
        index++;
    }
}

static void drop_empty_and_sort(struct e820_entry *map, size_t *count) {
    size_t kept = 0;
    for (size_t i = 0; i < *count; i++) {
        if (map[i].length == 0) continue;
        struct e820_entry e = map[i];
        set_end(&e, entry_end(&e));
        insert_sorted(map, &kept, e);
    }
    *count = kept;
}

/* Resolves the overlap of map[i] and map[i+1] (map[i].base <= map[i+1].base < end of
 * map[i]). Each step keeps the described memory the same. */
static bool resolve_overlap(struct e820_entry *map, size_t *count, size_t capacity, size_t i) {
    struct e820_entry *a = &map[i], *b = &map[i + 1];
    uint64_t a_end = entry_end(a), b_end = entry_end(b);
    if (a->type == b->type) {
        if (b_end > a_end) set_end(a, b_end);
        remove_at(map, count, i + 1);
    } else if (precedence(a->type) > precedence(b->type)) {
        if (b_end <= a_end) {
            remove_at(map, count, i + 1);
        } else {
            b->base = a_end;
            set_end(b, b_end);
            resort_forward(map, *count, i + 1);
        }
    } else {
        struct e820_entry tail = { b_end, a_end > b_end ? a_end - b_end : 0, a->type };
        if (tail.length != 0 && *count == capacity) return false;
        set_end(a, b->base);
        if (a->length == 0) remove_at(map, count, i);
        if (tail.length != 0) insert_sorted(map, count, tail);
    }
    return true;
}

static void merge_touching(struct e820_entry *map, size_t *count) {
    size_t i = 0;
    while (i + 1 < *count) {
        if (map[i].type == map[i + 1].type && entry_end(&map[i]) == map[i + 1].base) {
            set_end(&map[i], entry_end(&map[i + 1]));
            remove_at(map, count, i + 1);
        } else {
            i++;
        }
    }
}

bool e820_normalize(struct e820_entry *map, size_t *count, size_t capacity) {
    drop_empty_and_sort(map, count);
    size_t i = 0;
    while (i + 1 < *count) {
        if (map[i + 1].base < entry_end(&map[i])) {
            if (!resolve_overlap(map, count, capacity, i)) return false;
        } else {
            i++;
        }
    }
    merge_touching(map, count);
    return true;
}

/* Cuts [base, end) out of every entry of a normalized map; capacity checked by the caller. */
static void punch(struct e820_entry *map, size_t *count, uint64_t base, uint64_t end) {
    size_t i = 0;
    while (i < *count) {
        struct e820_entry *e = &map[i];
        uint64_t e_end = entry_end(e);
        if (e_end <= base || e->base >= end) {
            i++;
        } else if (e->base >= base && e_end <= end) {
            remove_at(map, count, i);
        } else if (e->base < base && e_end > end) {
            struct e820_entry tail = { end, e_end - end, e->type };
            set_end(e, base);
            insert_sorted(map, count, tail);
            i++;
        } else if (e->base < base) {
            set_end(e, base);
            i++;
        } else {
            e->base = end;
            set_end(e, e_end);
            i++;
        }
    }
}

bool e820_reserve(struct e820_entry *map, size_t *count, size_t capacity, uint64_t base, uint64_t length,
                  uint32_t type) {
    if (!e820_normalize(map, count, capacity)) return false;
    if (length == 0) return true;
    struct e820_entry range = { base, length, type };
    uint64_t end = entry_end(&range);
    set_end(&range, end);
    size_t needed = 1;
    for (size_t i = 0; i < *count; i++)
        if (map[i].base < base && entry_end(&map[i]) > end) needed++;
    if (capacity - *count < needed) return false;
    punch(map, count, base, end);
    insert_sorted(map, count, range);
    merge_touching(map, count);
    return true;
}

bool e820_find_top_free(const struct e820_entry *map, size_t count, uint64_t size, uint64_t align, uint64_t below,
                        uint64_t *base_out) {
    bool found = false;
    uint64_t best = 0;
    if (size == 0) return false;
    for (size_t i = 0; i < count; i++) {
        if (map[i].type != E820_USABLE) continue;
        uint64_t end = entry_end(&map[i]);
        if (end > below) end = below;
        if (end < size) continue;
        uint64_t candidate = end - size;
        if (align > 1) candidate -= candidate % align;
        if (candidate < map[i].base) continue;
        if (!found || candidate > best) best = candidate;
        found = true;
    }
    if (found) *base_out = best;
    return found;
}

void e820_legacy_sizes(const struct e820_entry *map, size_t count, struct legacy_mem *out) {
    uint64_t top = MIB; /* end of the usable memory contiguous from 1 MiB */
    for (size_t i = 0; i < count; i++)
        if (map[i].type == E820_USABLE && map[i].base <= MIB && entry_end(&map[i]) > MIB) top = entry_end(&map[i]);
    uint64_t below_16m = top < 16 * MIB ? top : 16 * MIB;
    uint64_t below_4g = top < 4 * GIB ? top : 4 * GIB;
    uint64_t kib_above_1m = (top - MIB) / 1024;
    out->ax_kib_1m_16m = (uint16_t)((below_16m - MIB) / 1024);
    out->bx_64k_above_16m = (uint16_t)(below_4g > 16 * MIB ? (below_4g - 16 * MIB) / (64 * 1024) : 0);
    out->kib_above_1m_for_88h = (uint16_t)(kib_above_1m > 0xFFFF ? 0xFFFF : kib_above_1m);
}

static uint64_t read_le(const uint8_t *bytes, unsigned size) {
    uint64_t value = 0;
    for (unsigned i = size; i > 0; i--) value = value << 8 | bytes[i - 1];
    return value;
}

bool e820_from_multiboot(const uint8_t *mmap, uint32_t mmap_length, struct e820_entry *out, size_t capacity,
                         size_t *count_out) {
    enum { SIZE_FIELD = 4, MIN_ENTRY = 20 };
    size_t count = 0;
    uint32_t offset = 0;
    *count_out = 0;
    while (offset < mmap_length) {
        if (mmap_length - offset < SIZE_FIELD) return false;
        uint32_t size = (uint32_t)read_le(mmap + offset, 4);
        if (size < MIN_ENTRY || size > mmap_length - offset - SIZE_FIELD) return false;
        if (count == capacity) return false;
        const uint8_t *entry = mmap + offset + SIZE_FIELD;
        out[count].base = read_le(entry, 8);
        out[count].length = read_le(entry + 8, 8);
        out[count].type = (uint32_t)read_le(entry + 16, 4);
        count++;
        *count_out = count;
        offset += SIZE_FIELD + size;
    }
    return true;
}

bool e820_covers(const struct e820_entry *map, size_t count, uint64_t base, uint64_t length, uint32_t type) {
    if (length == 0 || base + length < base) return false;
    uint64_t end = base + length;
    while (base < end) {
        size_t i = 0;
        while (i < count && !(map[i].type == type && base - map[i].base < map[i].length)) i++;
        if (i == count) return false;
        base = map[i].base + map[i].length;
        if (base == 0) return true; /* the entry runs to the top of the address space */
    }
    return true;
}
