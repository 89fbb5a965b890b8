/* SPDX-License-Identifier: MIT */
/* Host exception entry points: push the vector (and a 0 error code where the CPU pushes none),
 * then call host_exception(frame). */
    .macro TRAP vector, has_error
    .balign 16
    .if \has_error == 0
    pushq $0
    .endif
    pushq $\vector
    jmp host_trap_common
    .endm

    .text
    .balign 16
    .globl host_trap_entries
host_trap_entries:
    TRAP 0, 0
    TRAP 1, 0
    TRAP 2, 0
    TRAP 3, 0
    TRAP 4, 0
    TRAP 5, 0
    TRAP 6, 0
    TRAP 7, 0
    TRAP 8, 1
    TRAP 9, 0
    TRAP 10, 1
    TRAP 11, 1
    TRAP 12, 1
    TRAP 13, 1
    TRAP 14, 1
    TRAP 15, 0
    TRAP 16, 0
    TRAP 17, 1
    TRAP 18, 0
    TRAP 19, 0
    TRAP 20, 0
    TRAP 21, 1

host_trap_common:
    movq %rsp, %rdi
    call host_exception
    ud2
