/* SPDX-License-Identifier: MIT */
/* An intercepted IN/OUT/INS/OUTS, architecture-neutral, and the port-handler table it is
 * dispatched through. Device emulation (the ATA channel, the PIC tracker) registers handlers for
 * the ports it claims; every other port passes straight to the hardware without an exit. */
#ifndef IO_IO_EXIT_H
#define IO_IO_EXIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct io_exit {
    uint16_t port;
    uint8_t size; /* 1, 2 or 4 bytes per transfer */
    bool in;
    bool string; /* INS/OUTS */
    bool rep;
    uint8_t address_size; /* 2, 4 or 8: for string forms, the size of rCX/rSI/rDI used */
    int8_t segment;       /* OUTS source segment (enum insn_segment), SEG_NONE: DS */
    uint64_t next_rip;
};

struct io_port_handler {
    const char *name;
    void *ctx;
    uint32_t (*read)(void *ctx, uint16_t port, unsigned size);
    void (*write)(void *ctx, uint16_t port, unsigned size, uint32_t value);
    /* Optional bulk forms for REP INS/OUTS (e.g. a whole sector through the ATA data port):
     * move up to `count` units of `size` bytes, return how many were moved. */
    size_t (*read_string)(void *ctx, uint16_t port, unsigned size, uint8_t *buf, size_t count);
    size_t (*write_string)(void *ctx, uint16_t port, unsigned size, const uint8_t *buf, size_t count);
    /* A data register (the IDE data port): an access of any size at its port is one transfer
     * through it, never split into byte lanes reaching the ports above, claimed or not. */
    bool data_register;
};

/* Decodes SVM's EXITINFO1/EXITINFO2 of an IOIO exit. Address size and segment are taken from
 * EXITINFO1 when the CPU supplied them; QEMU TCG never does, so the caller passes what the
 * instruction decoder found (`decoded_address_size`, `decoded_segment`). Pure. */
struct io_exit svm_decode_ioio(uint64_t exit_info1, uint64_t exit_info2, uint8_t decoded_address_size,
                               int8_t decoded_segment);

/* Decodes a VMX I/O-instruction exit (Intel SDM vol. 3, "Exit Qualification for I/O
 * Instructions"): the exit qualification, the instruction's RIP and length (VMX reports no next
 * RIP), and for INS/OUTS the VM-exit instruction information where the CPU reports it
 * (IA32_VMX_BASIC bit 54: `has_instruction_info`); without it the caller passes what the
 * instruction decoder found. Pure. */
struct io_exit vmx_decode_io(uint64_t qualification, uint64_t rip, uint32_t instruction_length,
                             bool has_instruction_info, uint32_t instruction_info, uint8_t decoded_address_size,
                             int8_t decoded_segment);

/* The VMX I/O exit qualification's fields. */
#define VMX_IO_SIZE_MASK 7u /* bits 2:0: size - 1 (0, 1 or 3) */
#define VMX_IO_IN (1u << 3)
#define VMX_IO_STRING (1u << 4)
#define VMX_IO_REP (1u << 5)
#define VMX_IO_PORT_SHIFT 16
/* The VM-exit instruction information of INS/OUTS. */
#define VMX_IO_INFO_ADDR_SHIFT 7 /* bits 9:7: 0, 1, 2 = 16, 32, 64-bit addresses */
#define VMX_IO_INFO_SEG_SHIFT 15 /* bits 17:15: segment of OUTS (ES = 0 ... GS = 5) */

/* The SVM IOIO intercept bitmap bits for EXITINFO1. */
#define SVM_IOIO_IN (1u << 0)
#define SVM_IOIO_STRING (1u << 2)
#define SVM_IOIO_REP (1u << 3)
#define SVM_IOIO_SIZE_SHIFT 4 /* bits 4-6: SZ8, SZ16, SZ32 */
#define SVM_IOIO_ADDR_SHIFT 7 /* bits 7-9: A16, A32, A64 */
#define SVM_IOIO_SEG_SHIFT 10 /* bits 10-12: segment of OUTS */
#define SVM_IOIO_PORT_SHIFT 16

#endif
