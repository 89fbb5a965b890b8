/* SPDX-License-Identifier: MIT */
/* The VMCB (AMD APM vol. 2, appendix B): control area at 0x000, state save area at 0x400.
 * Offsets are checked at compile time below. */
#ifndef SVM_VMCB_H
#define SVM_VMCB_H

#include <stdint.h>
#include <stddef.h>

struct vmcb_segment {
    uint16_t selector;
    uint16_t attrib; /* packed: type[3:0] S[4] DPL[6:5] P[7] AVL[8] L[9] DB[10] G[11] */
    uint32_t limit;
    uint64_t base;
};

struct vmcb_control {
    uint32_t intercept_cr;         /* 0x000: reads [15:0], writes [31:16] */
    uint32_t intercept_dr;         /* 0x004 */
    uint32_t intercept_exceptions; /* 0x008 */
    uint32_t intercept_misc1;      /* 0x00C */
    uint32_t intercept_misc2;      /* 0x010 */
    uint32_t intercept_misc3;      /* 0x014 */
    uint8_t reserved_018[0x03C - 0x018];
    uint16_t pause_filter_threshold; /* 0x03C */
    uint16_t pause_filter_count;     /* 0x03E */
    uint64_t iopm_base_pa;           /* 0x040 */
    uint64_t msrpm_base_pa;          /* 0x048 */
    uint64_t tsc_offset;             /* 0x050 */
    uint32_t guest_asid;             /* 0x058 */
    uint8_t tlb_control;             /* 0x05C */
    uint8_t reserved_05d[3];
    uint64_t vintr;            /* 0x060: V_TPR, V_IRQ, V_INTR_PRIO, V_IGN_TPR, V_INTR_MASKING, V_INTR_VECTOR */
    uint64_t interrupt_shadow; /* 0x068 */
    uint64_t exit_code;        /* 0x070 */
    uint64_t exit_info1;       /* 0x078 */
    uint64_t exit_info2;       /* 0x080 */
    uint64_t exit_int_info;    /* 0x088 */
    uint64_t np_enable;        /* 0x090 */
    uint64_t avic_apic_bar;    /* 0x098 */
    uint64_t ghcb_pa;          /* 0x0A0 */
    uint64_t event_inject;     /* 0x0A8 */
    uint64_t n_cr3;            /* 0x0B0 */
    uint64_t lbr_virt_enable;  /* 0x0B8 */
    uint64_t vmcb_clean;       /* 0x0C0 */
    uint64_t next_rip;         /* 0x0C8: 0 under QEMU TCG (no nrip-save) */
    uint8_t insn_bytes_count;  /* 0x0D0: 0 under QEMU TCG (no decode assists) */
    uint8_t insn_bytes[15];
    uint8_t reserved_0e0[0x400 - 0x0E0];
};

struct vmcb_save {
    struct vmcb_segment es, cs, ss, ds, fs, gs, gdtr, ldtr, idtr, tr; /* 0x400 - 0x49F */
    uint8_t reserved_4a0[0x4CB - 0x4A0];
    uint8_t cpl; /* 0x4CB */
    uint32_t reserved_4cc;
    uint64_t efer; /* 0x4D0 */
    uint8_t reserved_4d8[0x548 - 0x4D8];
    uint64_t cr4;    /* 0x548 */
    uint64_t cr3;    /* 0x550 */
    uint64_t cr0;    /* 0x558 */
    uint64_t dr7;    /* 0x560 */
    uint64_t dr6;    /* 0x568 */
    uint64_t rflags; /* 0x570 */
    uint64_t rip;    /* 0x578 */
    uint8_t reserved_580[0x5D8 - 0x580];
    uint64_t rsp; /* 0x5D8 */
    uint8_t reserved_5e0[0x5F8 - 0x5E0];
    uint64_t rax;                                        /* 0x5F8 */
    uint64_t star, lstar, cstar, sfmask, kernel_gs_base; /* 0x600 - 0x620 */
    uint64_t sysenter_cs, sysenter_esp, sysenter_eip;    /* 0x628 - 0x638 */
    uint64_t cr2;                                        /* 0x640 */
    uint8_t reserved_648[0x668 - 0x648];
    uint64_t g_pat;  /* 0x668 */
    uint64_t dbgctl; /* 0x670 */
    uint8_t reserved_678[0x1000 - 0x678];
};

struct vmcb {
    struct vmcb_control control;
    struct vmcb_save save;
};

_Static_assert(offsetof(struct vmcb, control.iopm_base_pa) == 0x040, "iopm");
_Static_assert(offsetof(struct vmcb, control.guest_asid) == 0x058, "asid");
_Static_assert(offsetof(struct vmcb, control.exit_code) == 0x070, "exit code");
_Static_assert(offsetof(struct vmcb, control.np_enable) == 0x090, "np");
_Static_assert(offsetof(struct vmcb, control.event_inject) == 0x0A8, "eventinj");
_Static_assert(offsetof(struct vmcb, control.n_cr3) == 0x0B0, "ncr3");
_Static_assert(offsetof(struct vmcb, control.next_rip) == 0x0C8, "nrip");
_Static_assert(offsetof(struct vmcb, save.es) == 0x400, "save area");
_Static_assert(offsetof(struct vmcb, save.tr) == 0x490, "tr");
_Static_assert(offsetof(struct vmcb, save.cpl) == 0x4CB, "cpl");
_Static_assert(offsetof(struct vmcb, save.efer) == 0x4D0, "efer");
_Static_assert(offsetof(struct vmcb, save.cr4) == 0x548, "cr4");
_Static_assert(offsetof(struct vmcb, save.rflags) == 0x570, "rflags");
_Static_assert(offsetof(struct vmcb, save.rsp) == 0x5D8, "rsp");
_Static_assert(offsetof(struct vmcb, save.rax) == 0x5F8, "rax");
_Static_assert(offsetof(struct vmcb, save.cr2) == 0x640, "cr2");
_Static_assert(offsetof(struct vmcb, save.g_pat) == 0x668, "gpat");
_Static_assert(sizeof(struct vmcb) == 0x1000, "vmcb size");

/* intercept_misc1 bits */
#define SVM_INTERCEPT_INTR (1u << 0) /* physical external interrupts */
#define SVM_INTERCEPT_CPUID (1u << 18)
#define SVM_INTERCEPT_HLT (1u << 24)
#define SVM_INTERCEPT_INVLPGA (1u << 26)
#define SVM_INTERCEPT_IOIO_PROT (1u << 27)
#define SVM_INTERCEPT_MSR_PROT (1u << 28)
#define SVM_INTERCEPT_SHUTDOWN (1u << 31)
/* intercept_misc2 bits */
#define SVM_INTERCEPT_VMRUN (1u << 0)
#define SVM_INTERCEPT_VMMCALL (1u << 1)
#define SVM_INTERCEPT_VMLOAD (1u << 2)
#define SVM_INTERCEPT_VMSAVE (1u << 3)
#define SVM_INTERCEPT_STGI (1u << 4)
#define SVM_INTERCEPT_CLGI (1u << 5)
#define SVM_INTERCEPT_SKINIT (1u << 6)

/* Exit codes (APM vol. 2, table C-1) */
#define SVM_EXIT_INTR 0x060
#define SVM_EXIT_CPUID 0x072
#define SVM_EXIT_HLT 0x078
#define SVM_EXIT_INVLPGA 0x07A
#define SVM_EXIT_IOIO 0x07B
#define SVM_EXIT_MSR 0x07C
#define SVM_EXIT_SHUTDOWN 0x07F
#define SVM_EXIT_VMRUN 0x080
#define SVM_EXIT_VMMCALL 0x081
#define SVM_EXIT_VMLOAD 0x082
#define SVM_EXIT_VMSAVE 0x083
#define SVM_EXIT_STGI 0x084
#define SVM_EXIT_CLGI 0x085
#define SVM_EXIT_SKINIT 0x086
#define SVM_EXIT_NPF 0x400
#define SVM_EXIT_INVALID 0xFFFFFFFFFFFFFFFFull

/* vintr */
#define SVM_VINTR_IRQ (1ull << 8)
#define SVM_VINTR_PRIORITY_MAX (0xFull << 16)
#define SVM_VINTR_IGNORE_TPR (1ull << 20)

/* interrupt_shadow */
#define SVM_INTERRUPT_SHADOW (1ull << 0)

/* event_inject (and exit_int_info, same layout) */
#define SVM_EVENT_VALID (1ull << 31)
#define SVM_EVENT_ERROR_VALID (1ull << 11)
#define SVM_EVENT_TYPE_INTR (0ull << 8)
#define SVM_EVENT_TYPE_EXCEPTION (3ull << 8)

#endif
