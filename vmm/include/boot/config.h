/* SPDX-License-Identifier: MIT */
/* The hypervisor's options, from the multiboot command line (documented in vmm/README.md). */
#ifndef BOOT_CONFIG_H
#define BOOT_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

struct hv_config {
    uint16_t console_port; /* console=com1|com2|<io port>   default com2 (0x2F8) */
    uint32_t memory_mib;   /* vmm_mem=<MiB>                 default 32: the RAM taken from the guest */
    uint8_t boot_drive;    /* boot_drive=<BIOS drive>       default 0x80 */
    bool verbose;          /* verbose=0|1                   default 0: log every exit */
    /* Network disk (AoE). */
    bool aoe;                  /* aoe=auto|<shelf>.<slot>       default off */
    uint16_t aoe_shelf;        /* 0xFFFF with aoe=auto: the first target that answers */
    uint8_t aoe_slot;          /* 0xFF with aoe=auto */
    uint16_t mtu;              /* mtu=1500|9000                 default 1500 */
    uint16_t aoe_wait_s;       /* aoe_wait=<seconds>            default 30: boot-time discovery limit */
    uint32_t aoe_deadline_s;   /* aoe_deadline=<seconds>        default 180 (as Linux's aoe): a command the
                              * target leaves unanswered this long fails; 0 = retry forever */
    bool split_registers;      /* ata_regs=all|split            default all: trap the whole task file; split = the
                              * paper's: Sector Count and LBA reach the real IDE device behind the
                              * captured channel and are read back from it at command time */
    bool blocking_completion;  /* aoe_completion=async|blocking default async: the guest runs while a command's
                               * frames are in flight; blocking = each command completes inside the exit
                               * that issued it (for comparison) */
    uint8_t aoe_share_percent; /* aoe_share=<1-99>            default 50: with async completion, the share of
                                * the CPU the network disk takes while the guest also wants it (see
                                * storage/aoe_backend.h) */
    bool user_hypercalls;      /* hypercalls=kernel|any         default kernel: VMMCALL outside ring 0 gets #UD,
                              * as on a PC without the hypervisor; any = the guest's measurement tools
                              * call from user space (guest/netboot-bench/hypercall.py) */
};

/* Parses `cmdline` into `config` (defaults first). The first word is skipped when it has no '=':
 * loaders (QEMU, GRUB, iPXE) put the image name there. On error writes a message (what was wrong
 * and what is accepted) into `error` and returns false. */
bool config_parse(const char *cmdline, struct hv_config *config, char *error, unsigned long error_size);

#endif
