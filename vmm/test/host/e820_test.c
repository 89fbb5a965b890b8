/* SPDX-License-Identifier: MIT */
/* Host unit tests for vmm/src/mm/e820.c. */
#include "mm/e820.h"
#include "tap.h"

#define KIB 1024ull
#define MIB (1024 * KIB)
#define GIB (1024 * MIB)
#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

static void check_map(const struct e820_entry *map, size_t count, const struct e820_entry *expected,
                      size_t expected_count, int line) {
    if (count != expected_count) printf("# map checked at line %d\n", line);
    CHECK_EQ_U64(count, expected_count);
    for (size_t i = 0; i < count && i < expected_count; i++) {
        if (map[i].base != expected[i].base || map[i].length != expected[i].length || map[i].type != expected[i].type)
            printf("# map checked at line %d, entry %zu\n", line, i);
        CHECK_EQ_U64(map[i].base, expected[i].base);
        CHECK_EQ_U64(map[i].length, expected[i].length);
        CHECK_EQ_U64(map[i].type, expected[i].type);
    }
}
#define CHECK_MAP(map, count, ...)                                                                                     \
    do {                                                                                                               \
        const struct e820_entry expected_[] = { __VA_ARGS__ };                                                         \
        check_map(map, count, expected_, COUNT_OF(expected_), __LINE__);                                               \
    } while (0)

/* What SeaBIOS reports for QEMU -m <ram> (below 4 GiB part), in firmware order. */
static size_t seabios_map(struct e820_entry *map, uint64_t ram) {
    size_t n = 0;
    map[n++] = (struct e820_entry){ 0, 0x9fc00, E820_USABLE };
    map[n++] = (struct e820_entry){ 0x9fc00, 0x400, E820_RESERVED };
    map[n++] = (struct e820_entry){ 0xf0000, 0x10000, E820_RESERVED };
    map[n++] = (struct e820_entry){ MIB, ram - 128 * KIB - MIB, E820_USABLE };
    map[n++] = (struct e820_entry){ ram - 128 * KIB, 128 * KIB, E820_RESERVED };
    map[n++] = (struct e820_entry){ 0xfffc0000, 0x40000, E820_RESERVED };
    return n;
}

static void normalize_keeps_a_clean_seabios_map(void) {
    struct e820_entry map[16];
    size_t n = seabios_map(map, GIB);
    CHECK(e820_normalize(map, &n, COUNT_OF(map)));
    CHECK_MAP(map, n, { 0, 0x9fc00, E820_USABLE }, { 0x9fc00, 0x400, E820_RESERVED },
              { 0xf0000, 0x10000, E820_RESERVED }, { MIB, GIB - 128 * KIB - MIB, E820_USABLE },
              { GIB - 128 * KIB, 128 * KIB, E820_RESERVED }, { 0xfffc0000, 0x40000, E820_RESERVED });
}

static void normalize_sorts_and_drops_empty_entries(void) {
    struct e820_entry map[8] = {
        { 0x300000, 0x100000, E820_USABLE }, { 0x5000, 0, E820_RESERVED }, { 0x100000, 0x100000, E820_ACPI },
        { 0, 0x1000, E820_USABLE },          { 0x7000, 0, E820_USABLE },
    };
    size_t n = 5;
    CHECK(e820_normalize(map, &n, COUNT_OF(map)));
    CHECK_MAP(map, n, { 0, 0x1000, E820_USABLE }, { 0x100000, 0x100000, E820_ACPI },
              { 0x300000, 0x100000, E820_USABLE });
}

static void normalize_merges_touching_and_overlapping_equal_types(void) {
    struct e820_entry map[8] = {
        { 0x2000, 0x1000, E820_USABLE }, { 0, 0x1000, E820_USABLE },       { 0x1000, 0x1000, E820_USABLE },
        { 0x2800, 0x2000, E820_USABLE }, { 0x4800, 0x800, E820_RESERVED }, { 0x5000, 0x800, E820_RESERVED },
    };
    size_t n = 6;
    CHECK(e820_normalize(map, &n, COUNT_OF(map)));
    CHECK_MAP(map, n, { 0, 0x4800, E820_USABLE }, { 0x4800, 0x1000, E820_RESERVED });
}

static void normalize_splits_usable_around_reserved_inside_it(void) {
    struct e820_entry map[4] = { { 0, 0x10000, E820_USABLE }, { 0x4000, 0x1000, E820_RESERVED } };
    size_t n = 2;
    CHECK(e820_normalize(map, &n, COUNT_OF(map)));
    CHECK_MAP(map, n, { 0, 0x4000, E820_USABLE }, { 0x4000, 0x1000, E820_RESERVED }, { 0x5000, 0xb000, E820_USABLE });
}

static void normalize_lets_the_riskier_type_win(void) {
    /* reserved beats NVS beats ACPI beats usable; unusable beats reserved. */
    struct e820_entry map[12] = {
        { 0, 0x4000, E820_ACPI },          { 0x1000, 0x1000, E820_USABLE },   { 0x3000, 0x2000, E820_NVS },
        { 0x4000, 0x2000, E820_RESERVED }, { 0x5000, 0x2000, E820_UNUSABLE },
    };
    size_t n = 5;
    CHECK(e820_normalize(map, &n, COUNT_OF(map)));
    CHECK_MAP(map, n, { 0, 0x3000, E820_ACPI }, { 0x3000, 0x1000, E820_NVS }, { 0x4000, 0x1000, E820_RESERVED },
              { 0x5000, 0x2000, E820_UNUSABLE });
}

static void normalize_trims_a_later_loser_and_resorts_it(void) {
    /* The usable entry loses its head to the reserved one and must move behind 0x2000. */
    struct e820_entry map[6] = {
        { 0, 0x3000, E820_RESERVED },
        { 0x1000, 0x4000, E820_USABLE },
        { 0x2000, 0x800, E820_ACPI },
    };
    size_t n = 3;
    CHECK(e820_normalize(map, &n, COUNT_OF(map)));
    CHECK_MAP(map, n, { 0, 0x3000, E820_RESERVED }, { 0x3000, 0x2000, E820_USABLE });
}

static void normalize_saturates_an_entry_running_past_2_to_the_64(void) {
    struct e820_entry map[2] = { { 0xFFFFFFFFFFFF0000ull, 0x20000, E820_RESERVED } };
    size_t n = 1;
    CHECK(e820_normalize(map, &n, COUNT_OF(map)));
    CHECK_MAP(map, n, { 0xFFFFFFFFFFFF0000ull, 0xFFFF, E820_RESERVED });
}

static void normalize_reports_capacity_exhaustion_without_losing_memory(void) {
    struct e820_entry map[2] = { { 0, 0x10000, E820_USABLE }, { 0x4000, 0x1000, E820_RESERVED } };
    size_t n = 2;
    CHECK(!e820_normalize(map, &n, 2));
    CHECK_EQ_U64(n, 2);
    CHECK_MAP(map, n, { 0, 0x10000, E820_USABLE }, { 0x4000, 0x1000, E820_RESERVED });
}

/* Deterministic pseudo-random maps on a small grid, checked point by point against the
 * definition: the normalized type at x is the winning type of the input entries covering x. */
static uint32_t lcg_next(uint32_t *state) {
    *state = *state * 1103515245u + 12345u;
    return *state >> 16;
}

static uint64_t rank_of(uint32_t type) {
    switch (type) {
    case E820_USABLE: return 0;
    case E820_ACPI: return 1;
    case E820_NVS: return 2;
    case E820_RESERVED: return 3;
    default: return 4;
    }
}

static uint32_t type_at(const struct e820_entry *map, size_t count, uint64_t x) {
    uint32_t type = 0;
    for (size_t i = 0; i < count; i++)
        if (x >= map[i].base && x - map[i].base < map[i].length && (type == 0 || rank_of(map[i].type) > rank_of(type)))
            type = map[i].type;
    return type;
}

static void normalize_matches_pointwise_definition_on_random_maps(void) {
    uint32_t seed = 12345;
    for (int round = 0; round < 500; round++) {
        struct e820_entry input[8], map[32];
        size_t n = 1 + lcg_next(&seed) % 8;
        for (size_t i = 0; i < n; i++) {
            input[i].base = lcg_next(&seed) % 60;
            input[i].length = lcg_next(&seed) % 20;
            input[i].type = 1 + lcg_next(&seed) % 5;
            map[i] = input[i];
        }
        size_t count = n;
        CHECK(e820_normalize(map, &count, COUNT_OF(map)));
        for (uint64_t x = 0; x < 80; x++) CHECK_EQ_U64(type_at(map, count, x), type_at(input, n, x));
        for (size_t i = 0; i < count; i++) {
            CHECK(map[i].length != 0);
            if (i > 0) CHECK(map[i - 1].base + map[i - 1].length <= map[i].base);
            if (i > 0 && map[i - 1].base + map[i - 1].length == map[i].base) CHECK(map[i - 1].type != map[i].type);
        }
    }
}

static void reserve_hides_hypervisor_at_top_of_low_ram(void) {
    struct e820_entry map[16];
    size_t n = seabios_map(map, GIB);
    uint64_t top = GIB - 128 * KIB;
    CHECK(e820_reserve(map, &n, COUNT_OF(map), top - 16 * MIB, 16 * MIB, E820_RESERVED));
    CHECK_MAP(map, n, { 0, 0x9fc00, E820_USABLE }, { 0x9fc00, 0x400, E820_RESERVED },
              { 0xf0000, 0x10000, E820_RESERVED }, { MIB, top - 16 * MIB - MIB, E820_USABLE },
              { top - 16 * MIB, 16 * MIB + 128 * KIB, E820_RESERVED }, { 0xfffc0000, 0x40000, E820_RESERVED });
}

static void reserve_in_the_middle_splits_and_overrides_any_type(void) {
    struct e820_entry map[8] = { { 0, 0x10000, E820_USABLE }, { 0x10000, 0x1000, E820_RESERVED } };
    size_t n = 2;
    CHECK(e820_reserve(map, &n, COUNT_OF(map), 0x4000, 0x1000, E820_NVS));
    CHECK_MAP(map, n, { 0, 0x4000, E820_USABLE }, { 0x4000, 0x1000, E820_NVS }, { 0x5000, 0xb000, E820_USABLE },
              { 0x10000, 0x1000, E820_RESERVED });
    /* Punching usable over reserved really makes it usable (no precedence applies). */
    CHECK(e820_reserve(map, &n, COUNT_OF(map), 0x4000, 0x1000, E820_USABLE));
    CHECK(e820_reserve(map, &n, COUNT_OF(map), 0x10000, 0x800, E820_USABLE));
    CHECK_MAP(map, n, { 0, 0x10800, E820_USABLE }, { 0x10800, 0x800, E820_RESERVED });
}

static void reserve_spanning_several_entries_replaces_them(void) {
    struct e820_entry map[8] = {
        { 0, 0x2000, E820_USABLE },
        { 0x2000, 0x1000, E820_ACPI },
        { 0x3000, 0x2000, E820_USABLE },
    };
    size_t n = 3;
    CHECK(e820_reserve(map, &n, COUNT_OF(map), 0x1000, 0x3000, E820_RESERVED));
    CHECK_MAP(map, n, { 0, 0x1000, E820_USABLE }, { 0x1000, 0x3000, E820_RESERVED }, { 0x4000, 0x1000, E820_USABLE });
}

static void reserve_fails_cleanly_without_room(void) {
    struct e820_entry map[2] = { { 0, 0x10000, E820_USABLE } };
    size_t n = 1;
    CHECK(!e820_reserve(map, &n, 2, 0x4000, 0x1000, E820_RESERVED)); /* needs 3 entries */
    CHECK_MAP(map, n, { 0, 0x10000, E820_USABLE });
    CHECK(e820_reserve(map, &n, 2, 0xf000, 0x1000, E820_RESERVED)); /* needs 2 */
    CHECK_MAP(map, n, { 0, 0xf000, E820_USABLE }, { 0xf000, 0x1000, E820_RESERVED });
}

static void find_top_free_picks_highest_aligned_fit_below_limit(void) {
    struct e820_entry map[16];
    size_t n = seabios_map(map, GIB);
    uint64_t base = 0;
    CHECK(e820_find_top_free(map, n, 16 * MIB, 2 * MIB, 4 * GIB, &base));
    CHECK_EQ_U64(base, GIB - 18 * MIB); /* top is 1G-128K: aligned down to 2 MiB */
    CHECK(e820_find_top_free(map, n, 16 * MIB, 1, 4 * GIB, &base));
    CHECK_EQ_U64(base, GIB - 128 * KIB - 16 * MIB);
    CHECK(e820_find_top_free(map, n, 16 * MIB, 0, 512 * MIB, &base));
    CHECK_EQ_U64(base, 496 * MIB);
    /* Only the low 639 KiB fit below 1 MiB. */
    CHECK(e820_find_top_free(map, n, 0x1000, 0x1000, MIB, &base));
    CHECK_EQ_U64(base, 0x9e000);
}

static void find_top_free_skips_ranges_too_small_after_alignment(void) {
    struct e820_entry map[3] = {
        { 0x100000, 0x300000, E820_USABLE }, /* 1M-4M: holds a 2 MiB-aligned 2 MiB block at 2M */
        { 0x500000, 0x280000, E820_USABLE }, /* 5M-7.5M: 2.5 MiB but no aligned 2 MiB block */
        { 0x800000, 0x1000, E820_RESERVED },
    };
    uint64_t base = 0;
    CHECK(e820_find_top_free(map, 3, 2 * MIB, 2 * MIB, 4 * GIB, &base));
    CHECK_EQ_U64(base, 2 * MIB);
    CHECK(!e820_find_top_free(map, 3, 4 * MIB, 1, 4 * GIB, &base));
    CHECK(!e820_find_top_free(map, 3, 0, 1, 4 * GIB, &base));
    CHECK(!e820_find_top_free(map, 3, MIB, 1, MIB, &base));
}

static void legacy_sizes_for_1g_map(void) {
    struct e820_entry map[16];
    size_t n = seabios_map(map, GIB);
    struct legacy_mem sizes;
    e820_legacy_sizes(map, n, &sizes);
    CHECK_EQ_U64(sizes.ax_kib_1m_16m, 0x3C00);
    CHECK_EQ_U64(sizes.bx_64k_above_16m, (GIB - 128 * KIB - 16 * MIB) / (64 * KIB));
    CHECK_EQ_U64(sizes.kib_above_1m_for_88h, 0xFFFF);
}

static void legacy_sizes_for_map_above_4g_stop_at_4g_and_at_holes(void) {
    struct e820_entry map[4] = {
        { 0, 0x9fc00, E820_USABLE },
        { MIB, 8 * GIB - MIB, E820_USABLE },
    };
    struct legacy_mem sizes;
    e820_legacy_sizes(map, 2, &sizes);
    CHECK_EQ_U64(sizes.ax_kib_1m_16m, 0x3C00);
    CHECK_EQ_U64(sizes.bx_64k_above_16m, 0xFF00);
    CHECK_EQ_U64(sizes.kib_above_1m_for_88h, 0xFFFF);
    /* The hypervisor punched at 8 MiB ends the contiguous range there. */
    size_t n = 2;
    CHECK(e820_reserve(map, &n, 4, 8 * MIB, 16 * MIB, E820_RESERVED));
    e820_legacy_sizes(map, n, &sizes);
    CHECK_EQ_U64(sizes.ax_kib_1m_16m, 7 * 1024);
    CHECK_EQ_U64(sizes.bx_64k_above_16m, 0);
    CHECK_EQ_U64(sizes.kib_above_1m_for_88h, 7 * 1024);
    /* No usable RAM at 1 MiB: nothing above it. */
    struct e820_entry low_only[1] = { { 0, 0x9fc00, E820_USABLE } };
    e820_legacy_sizes(low_only, 1, &sizes);
    CHECK_EQ_U64(sizes.ax_kib_1m_16m, 0);
    CHECK_EQ_U64(sizes.bx_64k_above_16m, 0);
    CHECK_EQ_U64(sizes.kib_above_1m_for_88h, 0);
}

/* Appends one multiboot mmap entry with the given size field (>= 20; extra bytes zero). */
static uint32_t put_multiboot_entry(uint8_t *at, uint32_t size, uint64_t base, uint64_t length, uint32_t type) {
    uint64_t fields[3] = { size, base, length };
    unsigned widths[3] = { 4, 8, 8 };
    unsigned pos = 0;
    for (int f = 0; f < 3; f++)
        for (unsigned b = 0; b < widths[f]; b++) at[pos++] = (uint8_t)(fields[f] >> (8 * b));
    for (unsigned b = 0; b < 4; b++) at[pos++] = (uint8_t)(type >> (8 * b));
    while (pos < 4 + size) at[pos++] = 0;
    return 4 + size;
}

static void covers_ranges_inside_one_or_touching_entries_of_the_type(void) {
    static const struct e820_entry map[] = {
        { 0x0, 0x9F800, E820_USABLE },       { 0x9F800, 0x800, E820_RESERVED },     { 0x100000, 0x100000, E820_USABLE },
        { 0x200000, 0x100000, E820_USABLE }, { 0x300000, 0x100000, E820_RESERVED },
    };
    size_t n = sizeof map / sizeof map[0];
    CHECK(e820_covers(map, n, 0x1000, 0x1000, E820_USABLE));
    CHECK(e820_covers(map, n, 0x1FF000, 0x2000, E820_USABLE)); /* across two touching entries */
    CHECK(!e820_covers(map, n, 0x9F000, 0x1000, E820_USABLE)); /* runs into the reserved tail */
    CHECK(!e820_covers(map, n, 0xA0000, 0x10, E820_USABLE));   /* a hole */
    CHECK(!e820_covers(map, n, 0x2FF000, 0x2000, E820_USABLE));
    CHECK(e820_covers(map, n, 0x300000, 0x100000, E820_RESERVED));
    CHECK(!e820_covers(map, n, 0x1000, 0, E820_USABLE));
    CHECK(!e820_covers(map, n, ~0ull - 0xFFF, 0x2000, E820_USABLE)); /* wraps */
}

static void multiboot_map_with_varying_entry_sizes(void) {
    uint8_t mmap[128];
    uint32_t len = 0;
    len += put_multiboot_entry(mmap + len, 20, 0, 0x9fc00, 1);
    len += put_multiboot_entry(mmap + len, 24, 0x9fc00, 0x400, 2);      /* ACPI 3.0 style */
    len += put_multiboot_entry(mmap + len, 21, MIB, 0x123456789ull, 1); /* odd: unaligned next */
    len += put_multiboot_entry(mmap + len, 20, 0xfffc0000, 0x40000, 2);
    struct e820_entry out[8];
    size_t n = 99;
    CHECK(e820_from_multiboot(mmap, len, out, COUNT_OF(out), &n));
    CHECK_MAP(out, n, { 0, 0x9fc00, 1 }, { 0x9fc00, 0x400, 2 }, { MIB, 0x123456789ull, 1 }, { 0xfffc0000, 0x40000, 2 });
}

static void multiboot_map_rejects_malformed_or_too_many_entries(void) {
    uint8_t mmap[64];
    uint32_t len = put_multiboot_entry(mmap, 20, 0, 0x1000, 1);
    len += put_multiboot_entry(mmap + len, 20, 0x1000, 0x1000, 2);
    struct e820_entry out[2];
    size_t n;
    CHECK(!e820_from_multiboot(mmap, len, out, 1, &n));     /* capacity */
    CHECK(!e820_from_multiboot(mmap, len - 1, out, 2, &n)); /* last entry cut short */
    CHECK(!e820_from_multiboot(mmap, len + 2, out, 2, &n)); /* stray bytes after it */
    mmap[24] = 19;                                          /* second size field < 20 */
    CHECK(!e820_from_multiboot(mmap, len, out, 2, &n));
    CHECK(e820_from_multiboot(mmap, 0, out, 2, &n));
    CHECK_EQ_U64(n, 0);
}

int main(void) {
    TEST(normalize_keeps_a_clean_seabios_map);
    TEST(covers_ranges_inside_one_or_touching_entries_of_the_type);
    TEST(normalize_sorts_and_drops_empty_entries);
    TEST(normalize_merges_touching_and_overlapping_equal_types);
    TEST(normalize_splits_usable_around_reserved_inside_it);
    TEST(normalize_lets_the_riskier_type_win);
    TEST(normalize_trims_a_later_loser_and_resorts_it);
    TEST(normalize_saturates_an_entry_running_past_2_to_the_64);
    TEST(normalize_reports_capacity_exhaustion_without_losing_memory);
    TEST(normalize_matches_pointwise_definition_on_random_maps);
    TEST(reserve_hides_hypervisor_at_top_of_low_ram);
    TEST(reserve_in_the_middle_splits_and_overrides_any_type);
    TEST(reserve_spanning_several_entries_replaces_them);
    TEST(reserve_fails_cleanly_without_room);
    TEST(find_top_free_picks_highest_aligned_fit_below_limit);
    TEST(find_top_free_skips_ranges_too_small_after_alignment);
    TEST(legacy_sizes_for_1g_map);
    TEST(legacy_sizes_for_map_above_4g_stop_at_4g_and_at_holes);
    TEST(multiboot_map_with_varying_entry_sizes);
    TEST(multiboot_map_rejects_malformed_or_too_many_entries);
    return tap_finish();
}
