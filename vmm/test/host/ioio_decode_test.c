/* SPDX-License-Identifier: MIT */
/* Decoding SVM IOIO exit information, with and without the decode bits TCG leaves out. */
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

int main(void) {
    TEST(in_al_dx);
    TEST(out_dword);
    TEST(rep_insw_as_tcg_reports_it);
    TEST(outsb_with_hardware_decode_bits);
    return tap_finish();
}
