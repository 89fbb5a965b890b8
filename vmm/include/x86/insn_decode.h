/* SPDX-License-Identifier: MIT */
/* x86 instruction decoder: length and operand facts of one instruction.
 * QEMU TCG's SVM supplies no NextRIP and no instruction bytes, so exit handlers fetch the
 * bytes at CS:RIP themselves and need the length (to advance RIP) and, for string I/O and
 * MMIO, the effective address/operand sizes, prefixes and the memory operand's encoding.
 * Follows AMD64 where vendors differ (66h on near branches in 64-bit mode shortens them).
 * VEX, EVEX and XOP encodings return INSN_ERR_UNSUPPORTED. */
#ifndef X86_INSN_DECODE_H
#define X86_INSN_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* From CS.L with EFER.LMA (64), else CS.D (32 or 16); real and virtual-8086 mode are 16. */
enum cpu_mode { CPU_MODE_16, CPU_MODE_32, CPU_MODE_64 };

enum insn_error {
    INSN_ERR_TRUNCATED = -1,   /* valid so far: fetch more bytes and decode again */
    INSN_ERR_INVALID = -2,     /* #UD encoding, or longer than 15 bytes (#GP) */
    INSN_ERR_UNSUPPORTED = -3, /* VEX/EVEX/XOP and SSE4a immediate forms */
};

enum insn_map { INSN_MAP_ONE_BYTE = 1, INSN_MAP_0F = 2, INSN_MAP_0F38 = 3, INSN_MAP_0F3A = 4 };

enum insn_segment { SEG_NONE = -1, SEG_ES = 0, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS };

#define INSN_MAX_LENGTH 15

struct insn {
    uint8_t length;
    uint8_t opcode_map; /* enum insn_map */
    uint8_t opcode;     /* last opcode byte within its map */
    bool has_modrm;
    uint8_t modrm;
    bool has_sib;
    uint8_t sib;
    bool rip_relative;         /* 64-bit mode, mod=00 rm=101: displacement is from next RIP */
    uint8_t displacement_size; /* 0, 1, 2, 4, or 2/4/8 for moffs */
    int64_t displacement;      /* sign-extended; for A0-A3 (moffs) the zero-extended offset */
    uint8_t immediate_size;    /* total immediate bytes (ENTER: 3, far pointer: 4 or 6) */
    uint64_t immediate;        /* raw little-endian immediate bytes, zero-extended */
    uint8_t operand_size;      /* 2, 4, 8: effective size for non-byte forms */
    uint8_t address_size;      /* 2, 4, 8 */
    uint8_t rep;               /* 0, 0xF3 or 0xF2: the last one given wins */
    int8_t segment_override;   /* enum insn_segment, last one given wins; recorded as encoded
                                * even in 64-bit mode, where ES/CS/SS/DS bases count as 0 */
    uint8_t rex;               /* 0 if none (a REX followed by a legacy prefix is ignored) */
    bool lock;
};

/* Decodes the instruction at bytes[0..available). Returns its length (1..15) or a negative
 * enum insn_error. *out is only meaningful on success. */
int insn_decode(const uint8_t *bytes, size_t available, enum cpu_mode mode, struct insn *out);

/* INS/OUTS: 6C, 6D, 6E, 6F. */
bool insn_is_string_io(const struct insn *insn);

/* Bytes moved per transfer by IN/OUT/INS/OUTS (1, 2 or 4), 0 if not an I/O instruction. */
unsigned insn_io_size(const struct insn *insn);

#endif
