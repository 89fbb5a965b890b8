/* SPDX-License-Identifier: MIT */
/* Host unit tests for vmm/src/x86/insn_decode.c. */
#include "x86/insn_decode.h"
#include "tap.h"

#define R CPU_MODE_16
#define P CPU_MODE_32
#define L CPU_MODE_64
#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))
#define BYTES(...)                                                                                                     \
    sizeof((const uint8_t[]){ __VA_ARGS__ }), { __VA_ARGS__ }

/* A valid encoding: its length is the number of bytes listed. */
struct valid_case {
    int line;
    enum cpu_mode mode;
    uint8_t operand_size, address_size, displacement_size, immediate_size;
    size_t length;
    uint8_t bytes[16];
};
#define OK(mode, os, as, ds, is, ...)                                                                                  \
    { __LINE__, mode, os, as, ds, is, BYTES(__VA_ARGS__) }

static const struct valid_case valid_cases[] = {
    /* The exits the hypervisor steps over. */
    OK(R, 2, 2, 0, 0, 0x0F, 0xA2), /* cpuid */
    OK(P, 4, 4, 0, 0, 0x0F, 0xA2), OK(L, 4, 8, 0, 0, 0x0F, 0xA2),
    OK(L, 8, 8, 0, 0, 0x48, 0x0F, 0xA2), /* REX.W is harmless */
    OK(P, 4, 4, 0, 0, 0x0F, 0x32),       /* rdmsr */
    OK(L, 4, 8, 0, 0, 0x0F, 0x30),       /* wrmsr */
    OK(R, 2, 2, 0, 0, 0xF4),             /* hlt */
    OK(L, 4, 8, 0, 0, 0x0F, 0x01, 0xD9), /* vmmcall */
    OK(R, 2, 2, 0, 0, 0x0F, 0x01, 0xD9),
    /* Port I/O. */
    OK(R, 2, 2, 0, 1, 0xE4, 0x60),                                                  /* in al, 60h */
    OK(P, 4, 4, 0, 1, 0xE6, 0x80),                                                  /* out 80h, al */
    OK(P, 2, 4, 0, 1, 0x66, 0xE7, 0x71),                                            /* out 71h, ax */
    OK(R, 2, 2, 0, 0, 0xED),                                                        /* in ax, dx */
    OK(R, 4, 2, 0, 0, 0x66, 0xED),                                                  /* in eax, dx */
    OK(P, 2, 4, 0, 0, 0x66, 0xEF),                                                  /* out dx, ax */
    OK(L, 4, 8, 0, 0, 0xEF),                                                        /* out dx, eax */
    OK(R, 2, 2, 0, 0, 0xF3, 0x6D),                                                  /* rep insw */
    OK(R, 2, 4, 0, 0, 0x67, 0xF3, 0x6D),                                            /* rep insw, edi */
    OK(R, 2, 4, 0, 0, 0x26, 0x67, 0xF3, 0x6D), OK(P, 2, 4, 0, 0, 0x66, 0xF3, 0x6D), /* rep insw */
    OK(P, 2, 2, 0, 0, 0x66, 0x67, 0xF3, 0x6D),                                      /* rep insw, di */
    OK(P, 2, 2, 0, 0, 0x2E, 0x67, 0x66, 0xF3, 0x6F),                                /* rep outsw cs:si */
    OK(P, 4, 4, 0, 0, 0xF3, 0x6E),                                                  /* rep outsb */
    OK(L, 4, 8, 0, 0, 0xF3, 0x6E), OK(L, 2, 4, 0, 0, 0x66, 0x67, 0xF3, 0x6D),
    /* ModRM/SIB/displacement, 16-bit addressing. */
    OK(R, 2, 2, 0, 0, 0x8B, 0x07),                   /* mov ax, [bx] */
    OK(R, 2, 2, 2, 0, 0x8B, 0x06, 0x34, 0x12),       /* mov ax, [1234h] */
    OK(R, 2, 2, 1, 0, 0x8B, 0x46, 0xFE),             /* mov ax, [bp-2] */
    OK(R, 2, 2, 2, 0, 0x8B, 0x87, 0x00, 0x80),       /* mov ax, [bx-8000h] */
    OK(R, 2, 2, 0, 0, 0x8B, 0xC3),                   /* mov ax, bx */
    OK(P, 4, 2, 1, 0, 0x67, 0x8B, 0x46, 0x02),       /* mov eax, [bp+2] */
    OK(P, 4, 2, 2, 0, 0x67, 0x8B, 0x06, 0x00, 0xB8), /* mov eax, [0B800h] */
    /* 32-bit addressing. */
    OK(P, 4, 4, 0, 0, 0x8B, 0x00),                         /* mov eax, [eax] */
    OK(P, 4, 4, 4, 0, 0x8B, 0x05, 0x00, 0x00, 0xFE, 0xFE), /* mov eax, [0FEFE0000h] */
    OK(P, 4, 4, 0, 0, 0x8B, 0x04, 0x24),                   /* mov eax, [esp] */
    OK(P, 4, 4, 4, 0, 0x8B, 0x04, 0x25, 0x00, 0x10, 0, 0), /* mov eax, [1000h] via SIB */
    OK(P, 4, 4, 4, 0, 0x8B, 0x04, 0x8D, 0, 0x10, 0, 0),    /* mov eax, [ecx*4+1000h] */
    OK(P, 4, 4, 1, 0, 0x8B, 0x44, 0x24, 0x08),             /* mov eax, [esp+8] */
    OK(P, 4, 4, 4, 0, 0x8B, 0x84, 0x24, 0, 1, 0, 0),       /* mov eax, [esp+100h] */
    OK(P, 4, 4, 1, 0, 0x8B, 0x45, 0x00),                   /* mov eax, [ebp+0] */
    OK(P, 4, 4, 4, 0, 0x8B, 0x85, 0xF0, 0xFF, 0xFF, 0xFF), /* mov eax, [ebp-10h] */
    OK(P, 4, 4, 1, 0, 0x8B, 0x4C, 0x88, 0xF0),             /* mov ecx, [eax+ecx*4-10h] */
    OK(R, 2, 4, 0, 0, 0x67, 0x8B, 0x04, 0x24),             /* mov ax, [esp] */
    OK(R, 2, 4, 4, 0, 0x67, 0x8B, 0x05, 0x78, 0x56, 0x34, 0x12),
    OK(P, 4, 4, 0, 0, 0x64, 0x8B, 0x00), /* mov eax, fs:[eax] */
    OK(P, 2, 4, 0, 0, 0x66, 0x89, 0x10), /* mov [eax], dx */
    OK(P, 4, 4, 0, 0, 0x88, 0x10),       /* mov [eax], dl */
    /* 64-bit addressing. */
    OK(L, 8, 8, 4, 0, 0x48, 0x8B, 0x05, 0x10, 0, 0, 0),          /* mov rax, [rip+10h] */
    OK(L, 4, 8, 4, 0, 0x8B, 0x05, 0xF0, 0xFF, 0xFF, 0xFF),       /* mov eax, [rip-10h] */
    OK(L, 4, 4, 4, 0, 0x67, 0x8B, 0x05, 0x10, 0, 0, 0),          /* mov eax, [eip+10h] */
    OK(L, 8, 8, 4, 0, 0x48, 0x8B, 0x04, 0x25, 0, 0, 0xE0, 0xFE), /* mov rax, [0FEE00000h] */
    OK(L, 8, 8, 1, 0, 0x4C, 0x8B, 0x6D, 0x00),                   /* mov r13, [rbp+0] */
    OK(L, 8, 8, 1, 0, 0x49, 0x8B, 0x45, 0x00),                   /* mov rax, [r13+0] */
    OK(L, 8, 8, 0, 0, 0x49, 0x8B, 0x04, 0x24),                   /* mov rax, [r12] */
    OK(L, 4, 8, 4, 0, 0x41, 0x8B, 0x05, 0, 0, 0, 0),             /* REX.B keeps RIP-relative */
    OK(L, 8, 8, 4, 0, 0x48, 0x89, 0x84, 0x24, 0, 1, 0, 0),       /* mov [rsp+100h], rax */
    OK(L, 4, 8, 1, 0, 0x42, 0x89, 0x4C, 0xA8, 0x08),             /* mov [rax+r13*4+8], ecx */
    /* Immediates sized by operand size. */
    OK(L, 8, 8, 0, 8, 0x48, 0xB8, 1, 2, 3, 4, 5, 6, 7, 8), /* mov rax, imm64 */
    OK(L, 8, 8, 0, 8, 0x49, 0xBF, 1, 2, 3, 4, 5, 6, 7, 8), /* mov r15, imm64 */
    OK(L, 4, 8, 0, 4, 0xB8, 1, 2, 3, 4),                   /* mov eax, imm32 */
    OK(L, 2, 8, 0, 2, 0x66, 0xB8, 0x34, 0x12),             /* mov ax, imm16 */
    OK(R, 2, 2, 0, 2, 0xB8, 0x34, 0x12), OK(R, 4, 2, 0, 4, 0x66, 0xB8, 1, 2, 3, 4),
    OK(P, 2, 4, 0, 2, 0x66, 0x81, 0xC0, 0x34, 0x12),                                /* add ax, 1234h */
    OK(P, 4, 4, 0, 4, 0x81, 0xC0, 1, 2, 3, 4),                                      /* add eax, imm32 */
    OK(P, 2, 4, 0, 2, 0x66, 0x05, 0x34, 0x12),                                      /* add ax, 1234h (short form) */
    OK(L, 8, 8, 0, 4, 0x48, 0x81, 0xC0, 1, 2, 3, 4),                                /* add rax, imm32 (not imm64) */
    OK(L, 8, 8, 0, 4, 0x48, 0x05, 1, 2, 3, 4), OK(P, 4, 4, 0, 1, 0x83, 0xC0, 0x01), /* add eax, 1 */
    OK(P, 2, 4, 4, 2, 0x66, 0xC7, 0x05, 0, 0, 0xB0, 0xFE, 0x34, 0x12),              /* mov word [..], imm16 */
    OK(L, 8, 8, 0, 4, 0x68, 1, 2, 3, 4),                                            /* push imm32 */
    OK(L, 2, 8, 0, 2, 0x66, 0x68, 0x34, 0x12),                                      /* push imm16 */
    OK(L, 8, 8, 0, 0, 0x50),                                                        /* push rax */
    OK(L, 8, 8, 0, 0, 0x41, 0x5F),                                                  /* pop r15 */
    OK(L, 8, 8, 0, 0, 0x8F, 0xC0),                                                  /* pop rax */
    /* Group 3: only TEST has an immediate. */
    OK(P, 4, 4, 0, 1, 0xF6, 0xC0, 0x12),                   /* test al, 12h */
    OK(P, 4, 4, 0, 1, 0xF6, 0xC8, 0x12),                   /* test al, 12h (/1 alias) */
    OK(P, 4, 4, 0, 0, 0xF6, 0xD0),                         /* not al */
    OK(P, 4, 4, 0, 4, 0xF7, 0xC0, 1, 2, 3, 4),             /* test eax, imm32 */
    OK(P, 2, 4, 0, 2, 0x66, 0xF7, 0xC0, 0x34, 0x12),       /* test ax, imm16 */
    OK(P, 4, 4, 0, 0, 0xF7, 0xD0),                         /* not eax */
    OK(P, 4, 4, 0, 0, 0xF7, 0xF1),                         /* div ecx */
    OK(P, 4, 4, 4, 4, 0xF7, 0x05, 0, 0, 0, 0, 1, 2, 3, 4), /* test [disp32], imm32 */
    OK(P, 4, 4, 4, 0, 0xF7, 0x3D, 0, 0, 0, 0),             /* idiv dword [disp32] */
    OK(L, 8, 8, 0, 4, 0x48, 0xF7, 0xC0, 1, 2, 3, 4),       /* test rax, imm32 */
    /* ENTER, far pointers, moffs. */
    OK(R, 2, 2, 0, 3, 0xC8, 0x10, 0x00, 0x01), OK(P, 4, 4, 0, 3, 0xC8, 0x10, 0x00, 0x01),
    OK(L, 8, 8, 0, 3, 0xC8, 0x10, 0x00, 0x01), OK(R, 2, 2, 0, 4, 0xEA, 0x00, 0x7C, 0x00, 0x00), /* jmp 0:7C00 */
    OK(P, 4, 4, 0, 6, 0xEA, 0x00, 0x00, 0x10, 0x00, 0x08, 0x00),                                /* jmp 8:100000h */
    OK(P, 2, 4, 0, 4, 0x66, 0xEA, 0x00, 0x7C, 0x08, 0x00),
    OK(R, 4, 2, 0, 6, 0x66, 0x9A, 1, 2, 3, 4, 5, 6), /* call far ptr16:32 */
    OK(R, 2, 2, 2, 0, 0xA1, 0x34, 0x12),             /* mov ax, [1234h] */
    OK(R, 2, 4, 4, 0, 0x67, 0xA1, 0x78, 0x56, 0x34, 0x12),
    OK(P, 4, 4, 4, 0, 0xA3, 0x00, 0x00, 0xC0, 0xFE),                                      /* mov [0FEC00000h], eax */
    OK(P, 4, 2, 2, 0, 0x67, 0xA1, 0x34, 0x12), OK(P, 4, 4, 4, 0, 0x2E, 0xA2, 1, 2, 3, 4), /* mov cs:[moffs], al */
    OK(L, 4, 8, 8, 0, 0xA1, 1, 2, 3, 4, 5, 6, 7, 8), OK(L, 4, 4, 4, 0, 0x67, 0xA1, 1, 2, 3, 4),
    OK(L, 8, 8, 8, 0, 0x48, 0xA3, 1, 2, 3, 4, 5, 6, 7, 8),
    /* Branches and misc one-byte forms. */
    OK(R, 2, 2, 0, 1, 0xEB, 0xFE),                                            /* jmp $ */
    OK(L, 8, 8, 0, 4, 0xE8, 1, 2, 3, 4),                                      /* call rel32 */
    OK(L, 2, 8, 0, 2, 0x66, 0xE8, 1, 2),                                      /* call rel16 (AMD) */
    OK(R, 2, 2, 0, 2, 0xE8, 1, 2), OK(L, 8, 8, 4, 0, 0xFF, 0x15, 1, 2, 3, 4), /* call [rip+x] */
    OK(L, 8, 8, 0, 0, 0xFF, 0xE0),                                            /* jmp rax */
    OK(L, 4, 8, 0, 0, 0xFF, 0xC0),                                            /* inc eax */
    OK(P, 4, 4, 0, 2, 0xC2, 0x08, 0x00),                                      /* ret 8 */
    OK(R, 2, 2, 0, 1, 0xCD, 0x13),                                            /* int 13h */
    OK(R, 2, 2, 0, 0, 0xCF),                                                  /* iret */
    OK(P, 4, 4, 0, 0, 0x40),                                                  /* inc eax, not REX */
    OK(P, 4, 4, 0, 0, 0xC5, 0x06),                                            /* lds eax, [esi] */
    OK(P, 4, 4, 0, 0, 0x62, 0x06),                                            /* bound eax, [esi] */
    OK(P, 4, 4, 0, 0, 0xD9, 0xC0),                                            /* fld st0 */
    OK(P, 4, 4, 4, 0, 0xDD, 0x05, 1, 2, 3, 4),                                /* fld qword [disp32] */
    OK(P, 4, 4, 0, 0, 0xF0, 0x0F, 0xB1, 0x0F),                                /* lock cmpxchg [edi], ecx */
    OK(L, 2, 8, 0, 2, 0x48, 0x66, 0xB8, 0x34, 0x12),                          /* REX before 66 is ignored */
    OK(R, 4, 2, 0, 1, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0xE4,
       0x60), /* 15 bytes: the limit */
    /* Two- and three-byte maps. */
    OK(P, 4, 4, 0, 0, 0x0F, 0x20, 0xC0),                                            /* mov eax, cr0 */
    OK(L, 4, 8, 0, 0, 0x0F, 0x22, 0xD8),                                            /* mov cr3, rax */
    OK(P, 4, 4, 0, 0, 0x0F, 0x20, 0x05),                                            /* mod ignored: no disp32 */
    OK(P, 4, 4, 0, 0, 0x0F, 0x01, 0x10),                                            /* lgdt [eax] */
    OK(P, 4, 4, 4, 0, 0x0F, 0x01, 0x15, 1, 2, 3, 4),                                /* lgdt [disp32] */
    OK(R, 2, 2, 2, 0, 0x0F, 0x01, 0x16, 0x34, 0x12),                                /* lgdt [1234h] */
    OK(P, 4, 4, 0, 4, 0x0F, 0x84, 1, 2, 3, 4),                                      /* je rel32 */
    OK(P, 2, 4, 0, 2, 0x66, 0x0F, 0x84, 1, 2),                                      /* je rel16 */
    OK(R, 2, 2, 0, 2, 0x0F, 0x84, 1, 2), OK(P, 4, 4, 0, 1, 0x0F, 0xBA, 0xE0, 0x05), /* bt eax, 5 */
    OK(P, 4, 4, 0, 1, 0x0F, 0xA4, 0xC0, 0x04),                                      /* shld eax, eax, 4 */
    OK(P, 4, 4, 0, 0, 0x0F, 0x0B),                                                  /* ud2 */
    OK(P, 4, 4, 0, 1, 0x0F, 0x0F, 0xC1, 0xB4),                                      /* 3DNow! pfmul */
    OK(P, 2, 4, 0, 0, 0x66, 0x0F, 0x38, 0x00, 0xC1),                                /* pshufb xmm0, xmm1 */
    OK(P, 4, 4, 0, 0, 0x0F, 0x38, 0xF0, 0x06),                                      /* movbe eax, [esi] */
    OK(P, 2, 4, 0, 1, 0x66, 0x0F, 0x3A, 0x0F, 0xC1, 0x08),                          /* palignr xmm0, xmm1, 8 */
    OK(L, 2, 8, 4, 1, 0x66, 0x0F, 0x3A, 0x0F, 0x05, 1, 2, 3, 4, 8),                 /* rip-relative + ib */
};

/* Encodings that are not instructions this decoder returns a length for. */
struct error_case {
    int line;
    enum cpu_mode mode;
    int error;
    size_t length;
    uint8_t bytes[16];
};
#define ERR(mode, error, ...)                                                                                          \
    { __LINE__, mode, error, BYTES(__VA_ARGS__) }

static const struct error_case error_cases[] = {
    /* 15 prefixes + opcode: 16 bytes. */
    ERR(P, INSN_ERR_INVALID, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
        0x90),
    ERR(L, INSN_ERR_INVALID, 0xF3, 0x2E, 0x66, 0x67, 0xF3, 0x2E, 0x66, 0x67, 0xF3, 0x2E, 0x66, 0x67, 0xF3, 0x2E, 0x48,
        0x6D),
    /* Only the first 15 bytes exist: more input cannot make this valid. */
    ERR(P, INSN_ERR_INVALID, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66),
    /* 7 prefixes + C7 84 24 disp32 imm16 = 16 bytes. */
    ERR(P, INSN_ERR_INVALID, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0xC7, 0x84, 0x24, 0, 0, 0, 0, 0x34, 0x12),
    ERR(L, INSN_ERR_INVALID, 0x06),                   /* push es */
    ERR(L, INSN_ERR_INVALID, 0x27),                   /* daa */
    ERR(L, INSN_ERR_INVALID, 0x60),                   /* pusha */
    ERR(L, INSN_ERR_INVALID, 0xCE),                   /* into */
    ERR(L, INSN_ERR_INVALID, 0xD4, 0x0A),             /* aam */
    ERR(L, INSN_ERR_INVALID, 0xEA, 1, 2, 3, 4, 5, 6), /* jmp far ptr */
    ERR(L, INSN_ERR_INVALID, 0x9A, 1, 2, 3, 4, 5, 6), /* call far ptr */
    ERR(L, INSN_ERR_INVALID, 0x82, 0xC0, 0x01), ERR(P, INSN_ERR_INVALID, 0x0F, 0x04),
    ERR(P, INSN_ERR_INVALID, 0x0F, 0x24, 0xC0),                       /* mov from test register */
    ERR(P, INSN_ERR_INVALID, 0xFF, 0xF8),                             /* FF /7 */
    ERR(L, INSN_ERR_UNSUPPORTED, 0xC4, 0xE2, 0x79, 0x18, 0x06),       /* VEX vbroadcastss */
    ERR(L, INSN_ERR_UNSUPPORTED, 0xC5, 0x06),                         /* VEX in 64-bit, any ModRM */
    ERR(P, INSN_ERR_UNSUPPORTED, 0xC5, 0xF8, 0x77),                   /* vzeroupper */
    ERR(L, INSN_ERR_UNSUPPORTED, 0x62, 0xF1, 0x7C, 0x48, 0x10, 0x06), /* EVEX */
    ERR(P, INSN_ERR_UNSUPPORTED, 0x62, 0xF1, 0x7C, 0x48, 0x10, 0x06),
    ERR(P, INSN_ERR_UNSUPPORTED, 0x8F, 0xE8, 0x78, 0xC2, 0xC1, 0x05), /* XOP */
    ERR(P, INSN_ERR_UNSUPPORTED, 0x66, 0x0F, 0x78, 0xC0, 0x08, 0x10), /* SSE4a extrq */
    ERR(L, INSN_ERR_TRUNCATED, 0x48),                                 /* a lone REX */
    ERR(L, INSN_ERR_TRUNCATED, 0x48, 0xB8, 1, 2, 3, 4),               /* imm64 cut after 4 bytes */
};

static void check_valid_case(const struct valid_case *tc, const uint8_t *bytes, size_t available) {
    struct insn insn;
    int length = insn_decode(bytes, available, tc->mode, &insn);
    if (length != (int)tc->length || insn.operand_size != tc->operand_size || insn.address_size != tc->address_size ||
        insn.displacement_size != tc->displacement_size || insn.immediate_size != tc->immediate_size)
        printf("# case at line %d\n", tc->line);
    CHECK_EQ_U64(length, tc->length);
    if (length <= 0) return;
    CHECK_EQ_U64(insn.length, tc->length);
    CHECK_EQ_U64(insn.operand_size, tc->operand_size);
    CHECK_EQ_U64(insn.address_size, tc->address_size);
    CHECK_EQ_U64(insn.displacement_size, tc->displacement_size);
    CHECK_EQ_U64(insn.immediate_size, tc->immediate_size);
}

static void valid_encodings_decode_to_their_length_and_sizes(void) {
    for (size_t i = 0; i < COUNT_OF(valid_cases); i++)
        check_valid_case(&valid_cases[i], valid_cases[i].bytes, valid_cases[i].length);
}

static void trailing_bytes_do_not_change_the_decoding(void) {
    for (size_t i = 0; i < COUNT_OF(valid_cases); i++) {
        uint8_t padded[32];
        for (size_t b = 0; b < sizeof padded; b++)
            padded[b] = b < valid_cases[i].length ? valid_cases[i].bytes[b] : 0x0F;
        check_valid_case(&valid_cases[i], padded, sizeof padded);
    }
}

static void every_proper_prefix_of_a_valid_encoding_is_truncated(void) {
    for (size_t i = 0; i < COUNT_OF(valid_cases); i++) {
        const struct valid_case *tc = &valid_cases[i];
        for (size_t available = 0; available < tc->length; available++) {
            struct insn insn;
            int result = insn_decode(tc->bytes, available, tc->mode, &insn);
            if (result != INSN_ERR_TRUNCATED) printf("# case at line %d, %zu bytes available\n", tc->line, available);
            CHECK_EQ_U64(result, INSN_ERR_TRUNCATED);
        }
    }
}

static void invalid_and_unsupported_encodings_are_refused(void) {
    for (size_t i = 0; i < COUNT_OF(error_cases); i++) {
        const struct error_case *tc = &error_cases[i];
        struct insn insn;
        int result = insn_decode(tc->bytes, tc->length, tc->mode, &insn);
        if (result != tc->error) printf("# case at line %d\n", tc->line);
        CHECK_EQ_U64(result, tc->error);
    }
}

static struct insn decode_ok(enum cpu_mode mode, const uint8_t *bytes, size_t length) {
    struct insn insn;
    CHECK_EQ_U64(insn_decode(bytes, length, mode, &insn), length);
    return insn;
}
#define DECODE_OK(mode, ...) decode_ok(mode, (const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ }))

static void prefixes_are_reported(void) {
    struct insn insn = DECODE_OK(R, 0x26, 0x67, 0xF3, 0x6D);
    CHECK_EQ_U64(insn.rep, 0xF3);
    CHECK_EQ_U64(insn.segment_override, SEG_ES);
    CHECK(!insn.lock);
    insn = DECODE_OK(P, 0xF3, 0x64, 0x36, 0xF2, 0xA6); /* last rep and segment win */
    CHECK_EQ_U64(insn.rep, 0xF2);
    CHECK_EQ_U64(insn.segment_override, SEG_SS);
    insn = DECODE_OK(P, 0x6E);
    CHECK_EQ_U64(insn.rep, 0);
    CHECK_EQ_U64((uint64_t)(int64_t)insn.segment_override, (uint64_t)(int64_t)SEG_NONE);
    const uint8_t segment_prefixes[6] = { 0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65 };
    for (int s = 0; s < 6; s++) {
        uint8_t bytes[2] = { segment_prefixes[s], 0x6F };
        CHECK_EQ_U64(insn_decode(bytes, 2, L, &insn), 2);
        CHECK_EQ_U64(insn.segment_override, s);
    }
    insn = DECODE_OK(P, 0xF0, 0x0F, 0xB1, 0x0F);
    CHECK(insn.lock);
    insn = DECODE_OK(L, 0x4C, 0x8B, 0x6D, 0x00);
    CHECK_EQ_U64(insn.rex, 0x4C);
    insn = DECODE_OK(L, 0x48, 0x66, 0xB8, 0x34, 0x12);
    CHECK_EQ_U64(insn.rex, 0);
    insn = DECODE_OK(L, 0x66, 0x41, 0x48, 0xB8, 1, 2, 3, 4, 5, 6, 7, 8); /* last REX counts */
    CHECK_EQ_U64(insn.rex, 0x48);
    CHECK_EQ_U64(insn.operand_size, 8);
}

static void opcode_and_modrm_fields_are_reported(void) {
    struct insn insn = DECODE_OK(L, 0x0F, 0x01, 0xD9);
    CHECK_EQ_U64(insn.opcode_map, INSN_MAP_0F);
    CHECK_EQ_U64(insn.opcode, 0x01);
    CHECK(insn.has_modrm);
    CHECK_EQ_U64(insn.modrm, 0xD9);
    insn = DECODE_OK(P, 0xF4);
    CHECK_EQ_U64(insn.opcode_map, INSN_MAP_ONE_BYTE);
    CHECK_EQ_U64(insn.opcode, 0xF4);
    CHECK(!insn.has_modrm);
    insn = DECODE_OK(P, 0x66, 0x0F, 0x38, 0x00, 0xC1);
    CHECK_EQ_U64(insn.opcode_map, INSN_MAP_0F38);
    CHECK_EQ_U64(insn.opcode, 0x00);
    insn = DECODE_OK(P, 0x66, 0x0F, 0x3A, 0x0F, 0xC1, 0x08);
    CHECK_EQ_U64(insn.opcode_map, INSN_MAP_0F3A);
    CHECK_EQ_U64(insn.immediate, 8);
    insn = DECODE_OK(P, 0x8B, 0x4C, 0x88, 0xF0);
    CHECK(insn.has_sib);
    CHECK_EQ_U64(insn.sib, 0x88);
    CHECK_EQ_U64(insn.modrm, 0x4C);
    insn = DECODE_OK(P, 0x8B, 0x05, 0, 0, 0, 0);
    CHECK(!insn.has_sib);
}

static void displacements_are_sign_extended(void) {
    struct insn insn = DECODE_OK(R, 0x8B, 0x46, 0xFE);
    CHECK_EQ_U64(insn.displacement, (uint64_t)-2);
    insn = DECODE_OK(R, 0x8B, 0x87, 0x00, 0x80);
    CHECK_EQ_U64(insn.displacement, (uint64_t)-0x8000);
    insn = DECODE_OK(R, 0x8B, 0x06, 0x34, 0x12);
    CHECK_EQ_U64(insn.displacement, 0x1234);
    insn = DECODE_OK(P, 0x8B, 0x85, 0xF0, 0xFF, 0xFF, 0xFF);
    CHECK_EQ_U64(insn.displacement, (uint64_t)-16);
    insn = DECODE_OK(P, 0x8B, 0x05, 0x00, 0x00, 0xFE, 0xFE);
    CHECK_EQ_U64(insn.displacement, 0xFFFFFFFFFEFE0000ull); /* caller truncates to 32 bits */
    insn = DECODE_OK(P, 0x8B, 0x44, 0x24, 0x7F);
    CHECK_EQ_U64(insn.displacement, 0x7F);
}

static void rip_relative_only_in_64_bit_mode_without_sib(void) {
    CHECK(DECODE_OK(L, 0x48, 0x8B, 0x05, 0x10, 0, 0, 0).rip_relative);
    CHECK(DECODE_OK(L, 0x41, 0x8B, 0x05, 0x10, 0, 0, 0).rip_relative);
    CHECK(DECODE_OK(L, 0x67, 0x8B, 0x05, 0x10, 0, 0, 0).rip_relative);
    CHECK(!DECODE_OK(P, 0x8B, 0x05, 0x10, 0, 0, 0).rip_relative);
    CHECK(!DECODE_OK(L, 0x8B, 0x04, 0x25, 0x10, 0, 0, 0).rip_relative);
    CHECK(!DECODE_OK(L, 0x8B, 0x45, 0x10).rip_relative);
    CHECK(!DECODE_OK(R, 0x8B, 0x06, 0x10, 0).rip_relative);
}

static void immediates_and_moffs_values(void) {
    struct insn insn = DECODE_OK(L, 0x48, 0xB8, 0xEF, 0xCD, 0xAB, 0x89, 0x67, 0x45, 0x23, 0x01);
    CHECK_EQ_U64(insn.immediate, 0x0123456789ABCDEFull);
    insn = DECODE_OK(R, 0xC8, 0x10, 0x00, 0x01);
    CHECK_EQ_U64(insn.immediate, 0x010010); /* iw 0x0010, ib 0x01 */
    insn = DECODE_OK(R, 0xEA, 0x00, 0x7C, 0x34, 0x12);
    CHECK_EQ_U64(insn.immediate, 0x12347C00); /* offset, then selector */
    insn = DECODE_OK(P, 0x81, 0xC0, 0xFF, 0xFF, 0xFF, 0xFF);
    CHECK_EQ_U64(insn.immediate, 0xFFFFFFFF); /* raw, not sign-extended */
    insn = DECODE_OK(P, 0xA3, 0x00, 0x00, 0xC0, 0xFE);
    CHECK_EQ_U64(insn.displacement, 0xFEC00000); /* moffs zero-extended */
    insn = DECODE_OK(L, 0xA1, 0xF0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF);
    CHECK_EQ_U64(insn.displacement, 0xFFFFFFFFFFFFFFF0ull);
    CHECK_EQ_U64(insn.immediate_size, 0);
}

static void io_helpers(void) {
    struct {
        enum cpu_mode mode;
        uint8_t bytes[3];
        size_t length;
        bool string;
        unsigned size;
    } cases[] = {
        { R, { 0xE4, 0x60 }, 2, false, 1 },
        { R, { 0xE5, 0x60 }, 2, false, 2 },
        { P, { 0xE5, 0x60 }, 2, false, 4 },
        { P, { 0x66, 0xE7, 0x60 }, 3, false, 2 },
        { R, { 0xEC }, 1, false, 1 },
        { R, { 0x66, 0xED }, 2, false, 4 },
        { L, { 0x48, 0xEF }, 2, false, 4 }, /* REX.W does not widen I/O */
        { R, { 0xEE }, 1, false, 1 },
        { P, { 0xF3, 0x6C }, 2, true, 1 },
        { R, { 0xF3, 0x6D }, 2, true, 2 },
        { P, { 0xF3, 0x6D }, 2, true, 4 },
        { P, { 0x66, 0x6F }, 2, true, 2 },
        { L, { 0x6E }, 1, true, 1 },
        { P, { 0xF4 }, 1, false, 0 },
        { P, { 0x0F, 0xA2 }, 2, false, 0 },
        { P, { 0x0F, 0x6D, 0xC0 }, 3, false, 0 }, /* 0F 6D is not INSW */
    };
    for (size_t i = 0; i < COUNT_OF(cases); i++) {
        struct insn insn;
        CHECK_EQ_U64(insn_decode(cases[i].bytes, cases[i].length, cases[i].mode, &insn), cases[i].length);
        CHECK_EQ_U64(insn_is_string_io(&insn), cases[i].string);
        CHECK_EQ_U64(insn_io_size(&insn), cases[i].size);
    }
}

int main(void) {
    TEST(valid_encodings_decode_to_their_length_and_sizes);
    TEST(trailing_bytes_do_not_change_the_decoding);
    TEST(every_proper_prefix_of_a_valid_encoding_is_truncated);
    TEST(invalid_and_unsupported_encodings_are_refused);
    TEST(prefixes_are_reported);
    TEST(opcode_and_modrm_fields_are_reported);
    TEST(displacements_are_sign_extended);
    TEST(rip_relative_only_in_64_bit_mode_without_sib);
    TEST(immediates_and_moffs_values);
    TEST(io_helpers);
    printf("# %zu valid and %zu refused encodings\n", COUNT_OF(valid_cases), COUNT_OF(error_cases));
    return tap_finish();
}
