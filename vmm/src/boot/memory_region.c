/* SPDX-License-Identifier: MIT */
/* Where the hypervisor goes: the highest 2 MiB-aligned usable range below 4 GiB, clear of the
 * firmware's reserved areas (SeaBIOS keeps its runtime data and ACPI tables at the top of RAM,
 * marked reserved) and of where the loader put us. */
#include "boot/boot.h"

#include "boot/layout.h"
#include "lib/string.h"
#include "mm/hv_region.h"

#define FOUR_GIB 0x100000000ull
#define ONE_GIB 0x40000000ull

struct e820_entry firmware_map[FIRMWARE_MAP_CAPACITY];
size_t firmware_map_count;
struct hv_region hv_region;

extern const char __image_start[], __image_end[];

const char *memory_choose_region(uint64_t size) {
    struct e820_entry candidates[FIRMWARE_MAP_CAPACITY];
    size_t count = firmware_map_count;
    memcpy(candidates, firmware_map, count * sizeof *firmware_map);

    uint64_t image_size = (uint64_t)(__image_end - __image_start);
    /* The loaded image and everything the loader placed around it stays out of the choice. */
    uint64_t loader_area_end = HV_LOAD_PA + ((image_size + 2 * HV_LARGE_PAGE - 1) & ~(uint64_t)(HV_LARGE_PAGE - 1));
    if (!e820_reserve(candidates, &count, FIRMWARE_MAP_CAPACITY, 0, loader_area_end, E820_RESERVED))
        return "firmware memory map too large";

    uint64_t base;
    if (!e820_find_top_free(candidates, count, size, HV_LARGE_PAGE, FOUR_GIB, &base))
        return "no usable RAM below 4 GiB large enough for the hypervisor (lower vmm_mem= or add RAM)";

    /* Identity-map all of the low 4 GiB (RAM, firmware, MMIO) and all RAM above it. Reserved
     * ranges far above RAM (QEMU reports the HyperTransport hole at 1 TiB) stay unmapped, or the
     * page tables alone would take megabytes. */
    uint64_t top = FOUR_GIB;
    for (size_t i = 0; i < firmware_map_count; i++) {
        uint64_t end = firmware_map[i].base + firmware_map[i].length;
        if (firmware_map[i].type != E820_RESERVED && end > top) top = end;
    }
    hv_region = (struct hv_region){
        .base = base,
        .size = size,
        .image_size = image_size,
        .identity_limit = (top + ONE_GIB - 1) & ~(ONE_GIB - 1),
    };
    return 0;
}
