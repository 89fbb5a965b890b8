/* SPDX-License-Identifier: MIT */
#include "io/io_exit.h"

static uint8_t one_hot_size(uint64_t bits) {
    if (bits & 1) return 1;
    if (bits & 2) return 2;
    if (bits & 4) return 4;
    return 0;
}

struct io_exit svm_decode_ioio(uint64_t info1, uint64_t info2, uint8_t decoded_address_size, int8_t decoded_segment) {
    struct io_exit e = {
        .port = (uint16_t)(info1 >> SVM_IOIO_PORT_SHIFT),
        .size = one_hot_size(info1 >> SVM_IOIO_SIZE_SHIFT),
        .in = info1 & SVM_IOIO_IN,
        .string = info1 & SVM_IOIO_STRING,
        .rep = info1 & SVM_IOIO_REP,
        .address_size = decoded_address_size,
        .segment = decoded_segment,
        .next_rip = info2,
    };
    /* A16/A32/A64 are one-hot in bits 7-9 (1, 2, 4 => 2, 4, 8 bytes). */
    uint8_t hardware_address = one_hot_size(info1 >> SVM_IOIO_ADDR_SHIFT);
    if (hardware_address) e.address_size = (uint8_t)(hardware_address * 2);
    if (e.string && !e.in && (info1 >> SVM_IOIO_ADDR_SHIFT & 7)) e.segment = (int8_t)(info1 >> SVM_IOIO_SEG_SHIFT & 7);
    return e;
}

struct io_exit vmx_decode_io(uint64_t qualification, uint64_t rip, uint32_t instruction_length,
                             bool has_instruction_info, uint32_t instruction_info, uint8_t decoded_address_size,
                             int8_t decoded_segment) {
    struct io_exit e = {
        .port = (uint16_t)(qualification >> VMX_IO_PORT_SHIFT),
        .size = (uint8_t)((qualification & VMX_IO_SIZE_MASK) + 1),
        .in = qualification & VMX_IO_IN,
        .string = qualification & VMX_IO_STRING,
        .rep = qualification & VMX_IO_REP,
        .address_size = decoded_address_size,
        .segment = decoded_segment,
        .next_rip = rip + instruction_length,
    };
    if (e.string && has_instruction_info) {
        e.address_size = (uint8_t)(2u << (instruction_info >> VMX_IO_INFO_ADDR_SHIFT & 3));
        /* INS always writes through ES; the field is defined for OUTS only */
        if (!e.in) e.segment = (int8_t)(instruction_info >> VMX_IO_INFO_SEG_SHIFT & 7);
    }
    return e;
}
