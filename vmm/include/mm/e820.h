/* SPDX-License-Identifier: MIT */
/* BIOS memory map (INT 15h E820) handling: the hypervisor hides its own RAM from the guest's
 * E820, E801 and 88h answers, all derived from one map built here.
 * Pure functions over caller-owned arrays; no allocation, no global state. */
#ifndef MM_E820_H
#define MM_E820_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum e820_type {
    E820_USABLE = 1,
    E820_RESERVED = 2,
    E820_ACPI = 3,
    E820_NVS = 4,
    E820_UNUSABLE = 5,
};

struct e820_entry {
    uint64_t base, length;
    uint32_t type;
};

/* Sorts by base, drops empty entries, resolves overlaps (the riskier type wins: usable <
 * ACPI < NVS < reserved and unknown types < unusable) and merges touching entries of equal
 * type. *count is updated. Returns false if resolving an overlap needed more than `capacity`
 * entries; the map then still describes the same memory, just not normalized. */
bool e820_normalize(struct e820_entry *map, size_t *count, size_t capacity);

/* Makes [base, base+length) exactly `type`, overriding whatever was there (including usable
 * over reserved), and normalizes. Returns false if `capacity` is too small (map unchanged
 * in meaning, possibly not normalized). */
bool e820_reserve(struct e820_entry *map, size_t *count, size_t capacity, uint64_t base, uint64_t length,
                  uint32_t type);

/* Highest base, a multiple of `align` (0 or 1: any), such that [base, base+size) lies in one
 * usable entry and ends at or below `below`. `map` must be normalized. */
bool e820_find_top_free(const struct e820_entry *map, size_t count, uint64_t size, uint64_t align, uint64_t below,
                        uint64_t *base_out);

/* True when every byte of [base, base+length) lies in entries of `type` (touching entries may
 * share it); false for an empty or wrapping range. */
bool e820_covers(const struct e820_entry *map, size_t count, uint64_t base, uint64_t length, uint32_t type);

/* Sizes for INT 15h AX=E801h and AH=88h, from the usable memory contiguous from 1 MiB. */
struct legacy_mem {
    uint16_t ax_kib_1m_16m;        /* E801 AX/CX: KiB between 1 MiB and 16 MiB (<= 0x3C00) */
    uint16_t bx_64k_above_16m;     /* E801 BX/DX: 64 KiB blocks from 16 MiB up to 4 GiB */
    uint16_t kib_above_1m_for_88h; /* AH=88h AX: KiB above 1 MiB, capped at 0xFFFF */
};
/* `map` must be normalized (touching usable entries merged). */
void e820_legacy_sizes(const struct e820_entry *map, size_t count, struct legacy_mem *out);

/* Converts a multiboot (v1) memory map: each entry is a 32-bit size (not counting itself),
 * then base_addr, length (64-bit) and type (32-bit), little endian, possibly unaligned.
 * Returns false if there are more entries than `capacity`, or the map is malformed (a size
 * field below 20, or an entry running past mmap_length). */
bool e820_from_multiboot(const uint8_t *mmap, uint32_t mmap_length, struct e820_entry *out, size_t capacity,
                         size_t *count_out);

#endif
