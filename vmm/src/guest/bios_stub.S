/* SPDX-License-Identifier: MIT */
/* Real-mode code the hypervisor copies into conventional memory, just below the EBDA, for the
 * guest to run. It is position-independent: it runs with CS = its own base, IP = offset.
 *
 *   boot_entry   what the guest starts with: load the boot sector of BIOS drive boot_drive
 *                through INT 13h to 0:7C00 and jump to it with DL = that drive, as the BIOS
 *                itself would have done.
 *   int15_hook   the INT 15h vector points here. Memory-size queries (E820h, E801h, 88h) trap to
 *                the hypervisor with VMMCALL, which answers from the map with its own RAM
 *                hidden and fixes CF in the stacked FLAGS; everything else chains to the BIOS.
 *
 * A header of 16-bit offsets at the start tells the C side where the parts are
 * (struct bios_stub_header in include/guest/bios_services.h). */

    .section .rodata.bios_stub, "a"
    .code16
    .globl bios_stub_start, bios_stub_end
bios_stub_start:
    .word int15_hook - bios_stub_start
    .word int15_trap - bios_stub_start
    .word orig_int15 - bios_stub_start
    .word boot_entry - bios_stub_start
    .word boot_drive - bios_stub_start
    .word boot_fail_trap - bios_stub_start

int15_hook:
    cmpl $0xE820, %eax
    je int15_trap
    cmpw $0xE801, %ax
    je int15_trap
    cmpb $0x88, %ah
    je int15_trap
    ljmpw *%cs:orig_int15 - bios_stub_start
int15_trap:
    vmmcall
    iret

    .balign 4
orig_int15:
    .long 0
boot_drive:
    .byte 0x80

boot_entry:
    cli
    xorw %ax, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movw $0x7C00, %sp
    sti
    movb %cs:boot_drive - bios_stub_start, %dl
    movw $0x0201, %ax                 /* read one sector */
    movw $0x0001, %cx                 /* cylinder 0, sector 1 */
    xorb %dh, %dh                     /* head 0 */
    movw $0x7C00, %bx
    int $0x13
    jc boot_fail_trap                 /* AH = INT 13h status */
    movb $0xFF, %ah                   /* 0xFF: no boot signature */
    cmpw $0xAA55, 0x7DFE
    jne boot_fail_trap
    movb %cs:boot_drive - bios_stub_start, %dl
    ljmpw $0, $0x7C00
boot_fail_trap:
    vmmcall                           /* the hypervisor reports the failure */
1:  cli
    hlt
    jmp 1b
bios_stub_end:
