/* SPDX-License-Identifier: MIT */
/* x86 instruction length and operand decoding, driven by per-opcode attribute tables. */
#include "x86/insn_decode.h"

/* Immediate kinds (low 4 bits of an attribute). */
enum {
    IMM_NONE,
    IMM_B,      /* ib */
    IMM_W,      /* iw */
    IMM_Z,      /* iz: 2 with 16-bit operands, else 4 */
    IMM_V,      /* iv: the operand size (MOV r, imm64 with REX.W) */
    IMM_W_B,    /* iw + ib (ENTER) */
    IMM_FAR,    /* Ap: offset of operand size (2 or 4) + 16-bit selector */
    IMM_MOFFS,  /* moffs: address-size offset (A0-A3), stored as the displacement */
    IMM_GROUP3, /* F6/F7: ib/iz for /0 and /1 (TEST) only */
    IMM_KIND_MASK = 0x0F,
};

/* Attribute flags. */
enum {
    A_MODRM = 0x10,
    A_NOT64 = 0x20,     /* #UD in 64-bit mode */
    A_DEFAULT64 = 0x40, /* operand size defaults to 64 in 64-bit mode (stack, near branches) */
    A_INVALID = 0x80,   /* #UD in every mode */
    A_REG_ONLY = 0x100, /* ModRM always names registers, whatever mod says (MOV CRn/DRn) */
};

/* Short names to keep the tables one row per 16 opcodes. */
#define __ 0
#define M_ A_MODRM
#define MB (A_MODRM | IMM_B)
#define MZ (A_MODRM | IMM_Z)
#define B_ IMM_B
#define W_ IMM_W
#define Z_ IMM_Z
#define X6 A_NOT64
#define D6 A_DEFAULT64
#define XX A_INVALID
#define RO (A_MODRM | A_REG_ONLY)

/* Legacy and REX prefix bytes are consumed before lookup; their entries are __. */
static const uint16_t one_byte_map[256] = {
    /*       0        1        2          3        4          5          6       7 */
    /*       8        9        A          B        C          D          E       F */
    /* 00 */ M_,
    M_,
    M_,
    M_,
    B_,
    Z_,
    X6,
    X6,
    M_,
    M_,
    M_,
    M_,
    B_,
    Z_,
    X6,
    __,
    /* 10 */ M_,
    M_,
    M_,
    M_,
    B_,
    Z_,
    X6,
    X6,
    M_,
    M_,
    M_,
    M_,
    B_,
    Z_,
    X6,
    X6,
    /* 20 */ M_,
    M_,
    M_,
    M_,
    B_,
    Z_,
    __,
    X6,
    M_,
    M_,
    M_,
    M_,
    B_,
    Z_,
    __,
    X6,
    /* 30 */ M_,
    M_,
    M_,
    M_,
    B_,
    Z_,
    __,
    X6,
    M_,
    M_,
    M_,
    M_,
    B_,
    Z_,
    __,
    X6,
    /* 40 */ __,
    __,
    __,
    __,
    __,
    __,
    __,
    __,
    __,
    __,
    __,
    __,
    __,
    __,
    __,
    __,
    /* 50 */ D6,
    D6,
    D6,
    D6,
    D6,
    D6,
    D6,
    D6,
    D6,
    D6,
    D6,
    D6,
    D6,
    D6,
    D6,
    D6,
    /* 60 */ X6,
    X6,
    M_ | X6,
    M_,
    __,
    __,
    __,
    __,
    Z_ | D6,
    MZ,
    B_ | D6,
    MB,
    __,
    __,
    __,
    __,
    /* 70 */ B_ | D6,
    B_ | D6,
    B_ | D6,
    B_ | D6,
    B_ | D6,
    B_ | D6,
    B_ | D6,
    B_ | D6,
    B_ | D6,
    B_ | D6,
    B_ | D6,
    B_ | D6,
    B_ | D6,
    B_ | D6,
    B_ | D6,
    B_ | D6,
    /* 80 */ MB,
    MZ,
    MB | X6,
    MB,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_ | D6,
    /* 90 */ __,
    __,
    __,
    __,
    __,
    __,
    __,
    __,
    __,
    __,
    IMM_FAR | X6,
    __,
    D6,
    D6,
    __,
    __,
    /* A0 */ IMM_MOFFS,
    IMM_MOFFS,
    IMM_MOFFS,
    IMM_MOFFS,
    __,
    __,
    __,
    __,
    B_,
    Z_,
    __,
    __,
    __,
    __,
    __,
    __,
    /* B0 */ B_,
    B_,
    B_,
    B_,
    B_,
    B_,
    B_,
    B_,
    IMM_V,
    IMM_V,
    IMM_V,
    IMM_V,
    IMM_V,
    IMM_V,
    IMM_V,
    IMM_V,
    /* C0 */ MB,
    MB,
    W_ | D6,
    D6,
    M_ | X6,
    M_ | X6,
    MB,
    MZ,
    IMM_W_B | D6,
    D6,
    W_,
    __,
    __,
    B_,
    X6,
    __,
    /* D0 */ M_,
    M_,
    M_,
    M_,
    B_ | X6,
    B_ | X6,
    X6,
    __,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    /* E0 */ B_ | D6,
    B_ | D6,
    B_ | D6,
    B_ | D6,
    B_,
    B_,
    B_,
    B_,
    Z_ | D6,
    Z_ | D6,
    IMM_FAR | X6,
    B_ | D6,
    __,
    __,
    __,
    __,
    /* F0 */ __,
    __,
    __,
    __,
    __,
    __,
    M_ | IMM_GROUP3,
    M_ | IMM_GROUP3,
    __,
    __,
    __,
    __,
    __,
    __,
    M_,
    M_,
};

/* 0F xx. 0F 38 and 0F 3A are escapes to the three-byte maps. */
static const uint16_t two_byte_map[256] = {
    /* 00 */ M_,
    M_,
    M_,
    M_,
    XX,
    __,
    __,
    __,
    __,
    __,
    XX,
    __,
    XX,
    M_,
    __,
    MB,
    /* 10 */ M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    /* 20 */ RO,
    RO,
    RO,
    RO,
    XX,
    XX,
    XX,
    XX,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    /* 30 */ __,
    __,
    __,
    __,
    __,
    __,
    XX,
    __,
    __,
    XX,
    __,
    XX,
    XX,
    XX,
    XX,
    XX,
    /* 40 */ M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    /* 50 */ M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    /* 60 */ M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    /* 70 */ MB,
    MB,
    MB,
    MB,
    M_,
    M_,
    M_,
    __,
    M_,
    M_,
    XX,
    XX,
    M_,
    M_,
    M_,
    M_,
    /* 80 */ Z_ | D6,
    Z_ | D6,
    Z_ | D6,
    Z_ | D6,
    Z_ | D6,
    Z_ | D6,
    Z_ | D6,
    Z_ | D6,
    Z_ | D6,
    Z_ | D6,
    Z_ | D6,
    Z_ | D6,
    Z_ | D6,
    Z_ | D6,
    Z_ | D6,
    Z_ | D6,
    /* 90 */ M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    /* A0 */ D6,
    D6,
    __,
    M_,
    MB,
    M_,
    XX,
    XX,
    D6,
    D6,
    __,
    M_,
    MB,
    M_,
    M_,
    M_,
    /* B0 */ M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    MB,
    M_,
    M_,
    M_,
    M_,
    M_,
    /* C0 */ M_,
    M_,
    MB,
    M_,
    MB,
    MB,
    MB,
    M_,
    __,
    __,
    __,
    __,
    __,
    __,
    __,
    __,
    /* D0 */ M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    /* E0 */ M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    /* F0 */ M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
    M_,
};

/* Every 0F 38 opcode takes a ModRM; every 0F 3A opcode a ModRM and an ib. */
#define THREE_BYTE_0F38_ATTRIBUTES M_
#define THREE_BYTE_0F3A_ATTRIBUTES MB

struct cursor {
    const uint8_t *bytes;
    size_t available;
    size_t position;
};

/* Fails with INVALID past the architectural limit before TRUNCATED: more bytes cannot help. */
static int take_byte(struct cursor *c, uint8_t *byte) {
    if (c->position >= INSN_MAX_LENGTH) return INSN_ERR_INVALID;
    if (c->position >= c->available) return INSN_ERR_TRUNCATED;
    *byte = c->bytes[c->position++];
    return 0;
}

static int take_le(struct cursor *c, unsigned size, uint64_t *value) {
    *value = 0;
    for (unsigned i = 0; i < size; i++) {
        uint8_t byte;
        int err = take_byte(c, &byte);
        if (err) return err;
        *value |= (uint64_t)byte << (8 * i);
    }
    return 0;
}

static int64_t sign_extend(uint64_t value, unsigned size) {
    unsigned shift = 64 - 8 * size;
    return size == 0 ? 0 : (int64_t)(value << shift) >> shift;
}

/* Consumes legacy and REX prefixes; leaves the cursor on the first opcode byte. */
static int take_prefixes(struct cursor *c, enum cpu_mode mode, struct insn *insn, bool *operand_size_prefix,
                         bool *address_size_prefix) {
    for (;;) {
        uint8_t byte;
        int err = take_byte(c, &byte);
        if (err) return err;
        bool legacy = true;
        switch (byte) {
        case 0x66: *operand_size_prefix = true; break;
        case 0x67: *address_size_prefix = true; break;
        case 0xF0: insn->lock = true; break;
        case 0xF2:
        case 0xF3: insn->rep = byte; break;
        case 0x26: insn->segment_override = SEG_ES; break;
        case 0x2E: insn->segment_override = SEG_CS; break;
        case 0x36: insn->segment_override = SEG_SS; break;
        case 0x3E: insn->segment_override = SEG_DS; break;
        case 0x64: insn->segment_override = SEG_FS; break;
        case 0x65: insn->segment_override = SEG_GS; break;
        default: legacy = false; break;
        }
        if (legacy) {
            insn->rex = 0; /* REX only counts right before the opcode */
        } else if (mode == CPU_MODE_64 && (byte & 0xF0) == 0x40) {
            insn->rex = byte;
        } else {
            c->position--;
            return 0;
        }
    }
}

static int take_opcode(struct cursor *c, struct insn *insn, uint16_t *attributes) {
    uint8_t byte;
    int err = take_byte(c, &byte);
    if (err) return err;
    insn->opcode_map = INSN_MAP_ONE_BYTE;
    if (byte == 0x0F) {
        if ((err = take_byte(c, &byte))) return err;
        insn->opcode_map = INSN_MAP_0F;
        if (byte == 0x38 || byte == 0x3A) {
            insn->opcode_map = byte == 0x38 ? INSN_MAP_0F38 : INSN_MAP_0F3A;
            if ((err = take_byte(c, &byte))) return err;
        }
    }
    insn->opcode = byte;
    switch (insn->opcode_map) {
    case INSN_MAP_ONE_BYTE: *attributes = one_byte_map[byte]; break;
    case INSN_MAP_0F: *attributes = two_byte_map[byte]; break;
    case INSN_MAP_0F38: *attributes = THREE_BYTE_0F38_ATTRIBUTES; break;
    default: *attributes = THREE_BYTE_0F3A_ATTRIBUTES; break;
    }
    return 0;
}

/* One-byte opcodes that are VEX/EVEX escapes in 64-bit mode or with a register ModRM. */
static bool is_vex_or_evex_escape(const struct insn *insn) {
    return insn->opcode_map == INSN_MAP_ONE_BYTE &&
        (insn->opcode == 0x62 || insn->opcode == 0xC4 || insn->opcode == 0xC5);
}

/* Opcodes whose form depends on ModRM.reg or mod. Returns 0 or an insn_error. */
static int apply_modrm_dependent_forms(struct insn *insn, bool operand_size_prefix, uint16_t *attributes) {
    unsigned mod = insn->modrm >> 6, reg = (insn->modrm >> 3) & 7;
    if (is_vex_or_evex_escape(insn) && mod == 3) return INSN_ERR_UNSUPPORTED;
    if (insn->opcode_map == INSN_MAP_ONE_BYTE) {
        switch (insn->opcode) {
        case 0x8F: /* POP Ev only for /0; otherwise an AMD XOP escape */
            if (reg != 0) return INSN_ERR_UNSUPPORTED;
            break;
        case 0xF6:
        case 0xF7: /* only TEST (/0, /1) has an immediate */
            *attributes &= ~IMM_KIND_MASK;
            if (reg <= 1) *attributes |= insn->opcode == 0xF6 ? IMM_B : IMM_Z;
            break;
        case 0xFF: /* near CALL/JMP and PUSH are 64-bit by default */
            if (reg == 7) return INSN_ERR_INVALID;
            if (reg == 2 || reg == 4 || reg == 6) *attributes |= A_DEFAULT64;
            break;
        }
    } else if (insn->opcode_map == INSN_MAP_0F && insn->opcode == 0x78) {
        /* 66/F2 0F 78 are SSE4a EXTRQ/INSERTQ with two immediates: not needed here. */
        if (insn->rep == 0xF2 || operand_size_prefix) return INSN_ERR_UNSUPPORTED;
    }
    return 0;
}

static uint8_t operand_size_of(enum cpu_mode mode, bool prefix, uint8_t rex, uint16_t attributes) {
    switch (mode) {
    case CPU_MODE_16: return prefix ? 4 : 2;
    case CPU_MODE_32: return prefix ? 2 : 4;
    default:
        if (rex & 0x08) return 8;
        if (prefix) return 2;
        return (attributes & A_DEFAULT64) ? 8 : 4;
    }
}

static uint8_t address_size_of(enum cpu_mode mode, bool prefix) {
    switch (mode) {
    case CPU_MODE_16: return prefix ? 4 : 2;
    case CPU_MODE_32: return prefix ? 2 : 4;
    default: return prefix ? 4 : 8;
    }
}

/* SIB and displacement following a memory ModRM. */
static int take_memory_operand(struct cursor *c, enum cpu_mode mode, struct insn *insn) {
    unsigned mod = insn->modrm >> 6, rm = insn->modrm & 7;
    unsigned size;
    if (insn->address_size == 2) {
        size = mod == 1 ? 1 : (mod == 2 || (mod == 0 && rm == 6)) ? 2 : 0;
    } else {
        if (rm == 4) {
            int err = take_byte(c, &insn->sib);
            if (err) return err;
            insn->has_sib = true;
        }
        bool base_is_disp32 = mod == 0 && (insn->has_sib ? (insn->sib & 7) == 5 : rm == 5);
        insn->rip_relative = mode == CPU_MODE_64 && mod == 0 && rm == 5;
        size = mod == 1 ? 1 : (mod == 2 || base_is_disp32) ? 4 : 0;
    }
    uint64_t raw;
    int err = take_le(c, size, &raw);
    if (err) return err;
    insn->displacement_size = (uint8_t)size;
    insn->displacement = sign_extend(raw, size);
    return 0;
}

static unsigned immediate_size_of(const struct insn *insn, unsigned kind) {
    switch (kind) {
    case IMM_B: return 1;
    case IMM_W: return 2;
    case IMM_Z: return insn->operand_size == 2 ? 2 : 4;
    case IMM_V: return insn->operand_size;
    case IMM_W_B: return 3;
    case IMM_FAR: return insn->operand_size == 2 ? 4 : 6;
    default: return 0;
    }
}

static void clear(struct insn *insn) { *insn = (struct insn){ .segment_override = SEG_NONE }; }

int insn_decode(const uint8_t *bytes, size_t available, enum cpu_mode mode, struct insn *out) {
    struct cursor c = { bytes, available, 0 };
    bool operand_size_prefix = false, address_size_prefix = false;
    uint16_t attributes;
    int err;
    clear(out);
    if ((err = take_prefixes(&c, mode, out, &operand_size_prefix, &address_size_prefix))) return err;
    if ((err = take_opcode(&c, out, &attributes))) return err;
    if (attributes & A_INVALID) return INSN_ERR_INVALID;
    if (mode == CPU_MODE_64 && is_vex_or_evex_escape(out)) return INSN_ERR_UNSUPPORTED;
    if (mode == CPU_MODE_64 && (attributes & A_NOT64)) return INSN_ERR_INVALID;
    out->address_size = address_size_of(mode, address_size_prefix);
    if (attributes & A_MODRM) {
        if ((err = take_byte(&c, &out->modrm))) return err;
        out->has_modrm = true;
        if ((err = apply_modrm_dependent_forms(out, operand_size_prefix, &attributes))) return err;
        if (!(attributes & A_REG_ONLY) && (out->modrm >> 6) != 3 && (err = take_memory_operand(&c, mode, out)))
            return err;
    }
    out->operand_size = operand_size_of(mode, operand_size_prefix, out->rex, attributes);
    unsigned kind = attributes & IMM_KIND_MASK;
    if (kind == IMM_MOFFS) {
        uint64_t offset;
        if ((err = take_le(&c, out->address_size, &offset))) return err;
        out->displacement_size = out->address_size;
        out->displacement = (int64_t)offset;
    } else {
        unsigned size = immediate_size_of(out, kind);
        if ((err = take_le(&c, size, &out->immediate))) return err;
        out->immediate_size = (uint8_t)size;
    }
    out->length = (uint8_t)c.position;
    return out->length;
}

bool insn_is_string_io(const struct insn *insn) {
    return insn->opcode_map == INSN_MAP_ONE_BYTE && insn->opcode >= 0x6C && insn->opcode <= 0x6F;
}

unsigned insn_io_size(const struct insn *insn) {
    if (insn->opcode_map != INSN_MAP_ONE_BYTE) return 0;
    uint8_t op = insn->opcode;
    bool is_io = insn_is_string_io(insn) || (op >= 0xE4 && op <= 0xE7) || (op >= 0xEC && op <= 0xEF);
    if (!is_io) return 0;
    if ((op & 1) == 0) return 1;
    return insn->operand_size == 2 ? 2 : 4;
}
