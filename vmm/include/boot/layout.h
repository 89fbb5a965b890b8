/* SPDX-License-Identifier: MIT */
/* Where the hypervisor lives. Shared by the assembly entry code and C.
 *
 * The multiboot loader puts the image at HV_LOAD_PA. The hypervisor then copies itself to a
 * region near the top of usable RAM below 4 GiB (so that GRUB and the guest kernel, which load
 * low, never collide with it) and runs from there, always at the same virtual addresses:
 * HV_VIRT_BASE maps to the image's current physical home. Physical memory (the guest's, the
 * devices') is reached through an identity map of the low virtual addresses. */
#ifndef BOOT_LAYOUT_H
#define BOOT_LAYOUT_H

#define HV_VIRT_BASE 0xFFFFFFFF80000000
#define HV_LOAD_PA 0x00200000 /* 2 MiB: 2 MiB pages map the image from the start */
#define HV_LARGE_PAGE 0x00200000
#define HV_BOOT_MAP_SIZE 0x02000000 /* the boot page tables map 32 MiB of image */
#define HV_STACK_SIZE 0x4000

#define MULTIBOOT_HEADER_MAGIC 0x1BADB002
#define MULTIBOOT_LOADER_MAGIC 0x2BADB002
#define MULTIBOOT_WANT_MEMORY 0x00000002

#endif
