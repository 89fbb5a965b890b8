/* SPDX-License-Identifier: MIT */
/* The boot sequence (src/boot/main.c) and the relocation step it uses. */
#ifndef BOOT_BOOT_H
#define BOOT_BOOT_H

#include <stddef.h>
#include <stdint.h>

#include "mm/e820.h"

#define FIRMWARE_MAP_CAPACITY 64

/* The firmware's memory map as the multiboot loader passed it, normalized. */
extern struct e820_entry firmware_map[FIRMWARE_MAP_CAPACITY];
extern size_t firmware_map_count;

/* Chooses the hypervisor's region from the firmware map and fills hv_region; returns a message
 * on failure. */
const char *memory_choose_region(uint64_t size);

/* Copies the image into hv_region, builds the final page tables there and continues at
 * `continuation` on the relocated copy. */
__attribute__((noreturn)) void relocate_and_continue(void (*continuation)(void));

/* entry.S */
__attribute__((noreturn)) void switch_to_relocated_image(uint64_t cr3, void (*continuation)(void));

#endif
