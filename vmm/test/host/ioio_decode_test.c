/* SPDX-License-Identifier: MIT */
/* Decoding SVM IOIO exit information, with and without the decode bits TCG leaves out, and VMX's
 * I/O exit qualification with and without the instruction information. */
#include "tap.h"
#include "io/io_exit.h"
#include "x86/insn_decode.h"

static void in_al_dx(void) {
    struct io_exit e = svm_decode_ioio(0x01F70000u | SVM_IOIO_IN | (1u << SVM_IOIO_SIZE_SHIFT), 0x7C10, 0, SEG_NONE);
    CHECK_EQ_U64(e.port, 0x1F7);
    CHECK_EQ_U64(e.size, 1);
    CHECK(e.in && !e.string && !e.rep);
    CHECK_EQ_U64(e.next_rip, 0x7C10);
}

static void out_dword(void) {
    struct io_exit e = svm_decode_ioio(0xC0040000u | (4u << SVM_IOIO_SIZE_SHIFT), 0x1000, 0, SEG_NONE);
    CHECK_EQ_U64(e.port, 0xC004);
    CHECK_EQ_U64(e.size, 4);
    CHECK(!e.in);
}

static void rep_insw_as_tcg_reports_it(void) {
    uint64_t info1 = 0x01F00000u | SVM_IOIO_IN | SVM_IOIO_STRING | SVM_IOIO_REP | (2u << SVM_IOIO_SIZE_SHIFT);
    struct io_exit e = svm_decode_ioio(info1, 0xFFFFFFFF81000000ull, 4, SEG_NONE);
    CHECK(e.in && e.string && e.rep);
    CHECK_EQ_U64(e.size, 2);
    CHECK_EQ_U64(e.address_size, 4); /* from the decoder */
    CHECK_EQ_U64((uint64_t)(int64_t)e.segment, (uint64_t)(int64_t)SEG_NONE);
}

static void outsb_with_hardware_decode_bits(void) {
    /* A64 (bit 9) and segment FS (4) supplied by the CPU win over the caller's guesses. */
    uint64_t info1 = 0x03F80000u | SVM_IOIO_STRING | (1u << SVM_IOIO_SIZE_SHIFT) | (4u << SVM_IOIO_ADDR_SHIFT) |
        (4u << SVM_IOIO_SEG_SHIFT);
    struct io_exit e = svm_decode_ioio(info1, 0x2000, 2, SEG_NONE);
    CHECK_EQ_U64(e.address_size, 8);
    CHECK_EQ_U64(e.segment, SEG_FS);
}

static void vmx_in_al_dx(void) {
    /* IN AL, DX at port 0x1F7: size 0 (1 byte), IN; a 1-byte instruction */
    struct io_exit e = vmx_decode_io(0x01F70000u | VMX_IO_IN, 0x7C0F, 1, true, 0, 0, SEG_NONE);
    CHECK_EQ_U64(e.port, 0x1F7);
    CHECK_EQ_U64(e.size, 1);
    CHECK(e.in && !e.string && !e.rep);
    CHECK_EQ_U64(e.next_rip, 0x7C10);
}

static void vmx_out_dword_immediate(void) {
    /* OUT 0x80, EAX: size 3 (4 bytes), operand encoding immediate (bit 6), 2 bytes long */
    struct io_exit e = vmx_decode_io(0x00800000u | 3u | (1u << 6), 0x1000, 2, true, 0, 0, SEG_NONE);
    CHECK_EQ_U64(e.port, 0x80);
    CHECK_EQ_U64(e.size, 4);
    CHECK(!e.in && !e.string);
    CHECK_EQ_U64(e.next_rip, 0x1002);
}

static void vmx_rep_insw_with_instruction_info(void) {
    /* REP INSW in 32-bit code: address size 1 (32-bit); the segment field is ignored for INS */
    uint64_t q = 0x01F00000u | 1u | VMX_IO_IN | VMX_IO_STRING | VMX_IO_REP;
    struct io_exit e = vmx_decode_io(q, 0xC0001000u, 3, true,
                                     (1u << VMX_IO_INFO_ADDR_SHIFT) | (5u << VMX_IO_INFO_SEG_SHIFT), 0, SEG_NONE);
    CHECK(e.in && e.string && e.rep);
    CHECK_EQ_U64(e.size, 2);
    CHECK_EQ_U64(e.address_size, 4);
    CHECK_EQ_U64((uint64_t)(int64_t)e.segment, (uint64_t)(int64_t)SEG_NONE);
}

static void vmx_outsb_segment_and_decoder_fallback(void) {
    /* OUTSB with FS and 64-bit addresses reported by the CPU ... */
    uint64_t q = 0x03F80000u | VMX_IO_STRING;
    uint32_t info = (2u << VMX_IO_INFO_ADDR_SHIFT) | ((uint32_t)SEG_FS << VMX_IO_INFO_SEG_SHIFT);
    struct io_exit e = vmx_decode_io(q, 0x2000, 2, true, info, 2, SEG_NONE);
    CHECK_EQ_U64(e.address_size, 8);
    CHECK_EQ_U64(e.segment, SEG_FS);
    /* ... and by a CPU that does not report it: the decoder's findings stand */
    e = vmx_decode_io(q, 0x2000, 2, false, info, 2, SEG_CS);
    CHECK_EQ_U64(e.address_size, 2);
    CHECK_EQ_U64(e.segment, SEG_CS);
}

int main(void) {
    TEST(in_al_dx);
    TEST(out_dword);
    TEST(rep_insw_as_tcg_reports_it);
    TEST(outsb_with_hardware_decode_bits);
    TEST(vmx_in_al_dx);
    TEST(vmx_out_dword_immediate);
    TEST(vmx_rep_insw_with_instruction_info);
    TEST(vmx_outsb_segment_and_decoder_fallback);
    return tap_finish();
}
