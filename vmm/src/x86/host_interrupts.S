/* SPDX-License-Identifier: MIT */
/* Host entry points for external interrupts, one per vector: the IDT loaded only while the
 * hypervisor opens a window to take one and hand it to the guest (svm_take_interrupt). All 256
 * vectors, since a guest's PIC may deliver on 08h-0Fh (the BIOS's mapping), where the exception
 * IDT has fault handlers. Each stub records its vector in host_interrupt_vector and returns with
 * IF clear in the saved RFLAGS, so a window takes at most one interrupt. The local APIC or PIC
 * has then moved it to in-service, and the guest's handler, which receives it by injection,
 * sends the EOI. */
#define RFLAGS_IF 0x200
#define FRAME_RFLAGS 16 /* RIP, CS, RFLAGS, RSP, SS as the CPU pushed them */

    .text
    .balign 16
    .globl host_interrupt_entries
host_interrupt_entries:
    .set vector, 0
    .rept 256
    .balign 16
    pushq $vector
    jmp host_interrupt_common
    .set vector, vector + 1
    .endr

host_interrupt_common:
    popq host_interrupt_vector(%rip)
    andq $~RFLAGS_IF, FRAME_RFLAGS(%rsp)
    iretq
