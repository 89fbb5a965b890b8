/* SPDX-License-Identifier: MIT */
/* A boot sector that checks, from inside the guest, what the hypervisor promises a real-mode
 * guest: it is started by the BIOS boot path with DL = drive, INT 13h works (CHS and LBA
 * reads), INT 15h E820/E801 and INT 12h describe memory without the hypervisor's RAM, and
 * VMMCALL reaches the hypervisor. Everything it learns goes to COM1 as text lines that the
 * integration test (vmm/test/vmm-boot.test.ts) parses. */
    .code16
    .text
    .globl _start
_start:
    cli
    xorw %ax, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movw $0x7C00, %sp
    sti
    movb %dl, boot_drive

    /* The rest of the probe is in sectors 2-4: load them with a CHS read (INT 13h AH=02h). */
    movw $0x0203, %ax
    movw $0x0002, %cx
    xorb %dh, %dh
    movw $0x7E00, %bx
    int $0x13
    jc chs_failed
    jmp probe_main
chs_failed:
    movw $msg_chs_failed, %si
    call print
1:  hlt
    jmp 1b

/* print: DS:SI NUL-terminated string to COM1 */
print:
    lodsb
    testb %al, %al
    jz 2f
    call putc
    jmp print
2:  ret

putc:
    pushw %dx
    pushw %ax
    movw $0x3FD, %dx
3:  inb %dx, %al
    testb $0x20, %al
    jz 3b
    popw %ax
    movw $0x3F8, %dx
    outb %al, %dx
    popw %dx
    ret

boot_drive: .byte 0
msg_chs_failed: .asciz "probe: CHS read of sectors 2-4 failed\r\n"

    .org 510
    .word 0xAA55

/* ---- sector 2 onwards ---- */
probe_main:
    movw $msg_started, %si
    call print
    movb boot_drive, %al
    call print_hex8
    call newline

    /* E820: one line per entry */
    xorl %ebx, %ebx
    xorw %bp, %bp
e820_next:
    movl $0xE820, %eax
    movl $24, %ecx
    movl $0x534D4150, %edx
    movw $e820_buffer, %di
    int $0x15
    jc e820_done
    cmpl $0x534D4150, %eax
    jne e820_done
    incw %bp
    movw $msg_e820, %si
    call print
    movl e820_buffer + 4, %eax
    call print_hex32
    movl e820_buffer, %eax
    call print_hex32
    movb $' ', %al
    call putc
    movl e820_buffer + 12, %eax
    call print_hex32
    movl e820_buffer + 8, %eax
    call print_hex32
    movb $' ', %al
    call putc
    movl e820_buffer + 16, %eax
    call print_hex32
    call newline
    testl %ebx, %ebx
    jnz e820_next
e820_done:
    movw $msg_e820_count, %si
    call print
    movw %bp, %ax
    call print_hex16
    call newline

    /* E801 */
    movw $0xE801, %ax
    int $0x15
    pushw %bx
    movw $msg_e801, %si
    call print
    call print_hex16
    movb $' ', %al
    call putc
    popw %ax
    call print_hex16
    call newline

    /* INT 12h: conventional memory in KiB */
    int $0x12
    pushw %ax
    movw $msg_int12, %si
    call print
    popw %ax
    call print_hex16
    call newline

    /* VMMCALL ping */
    movl $0x564D0001, %eax
    vmmcall
    pushl %eax
    movw $msg_vmmcall, %si
    call print
    popl %eax
    call print_hex32
    call newline

    /* A 32-bit IN at 1EEh: bytes 1F0h and 1F1h are the ATA data and error ports, which the
     * hypervisor claims when the disk is on AoE. A PC splits such an access on the bus; the
     * hypervisor must too, not stop. */
    movw $0x1EE, %dx
    inl %dx, %eax
    pushl %eax
    movw $msg_straddle, %si
    call print
    popl %eax
    call print_hex32
    call newline

    /* EFER with reserved bit 2 set: a CPU answers #GP. The handler put in IVT slot 13 for the
     * moment notes it and skips the 2-byte WRMSR. */
    cli
    pushl 13 * 4
    movw $gp_handler, 13 * 4
    movw %cs, 13 * 4 + 2
    movb $0, gp_seen
    movl $0xC0000080, %ecx
    rdmsr
    orl $4, %eax
    wrmsr
    popl 13 * 4
    sti
    movw $msg_efer, %si
    call print
    movb gp_seen, %al
    call print_hex8
    call newline

    /* LBA read (INT 13h AH=42h) of sector 8, which holds a known string */
    movb $0x42, %ah
    movb boot_drive, %dl
    movw $dap, %si
    int $0x13
    jc lba_failed
    movw $msg_lba, %si
    call print
    movw $0x9000, %si
    call print
    call newline
    jmp finished
lba_failed:
    movw $msg_lba_failed, %si
    call print
finished:
    movw $msg_done, %si
    call print
4:  hlt
    jmp 4b

gp_handler:
    pushw %bp
    movw %sp, %bp
    addw $2, 2(%bp)            /* the return IP: past WRMSR */
    movb $1, gp_seen
    popw %bp
    iret

newline:
    movb $'\r', %al
    call putc
    movb $'\n', %al
    jmp putc

print_hex32:
    rorl $16, %eax
    call print_hex16
    rorl $16, %eax
print_hex16:
    xchgb %al, %ah
    call print_hex8
    xchgb %al, %ah
print_hex8:
    rolb $4, %al
    call print_hex4
    rolb $4, %al
print_hex4:
    pushw %ax
    andb $0x0F, %al
    addb $'0', %al
    cmpb $'9', %al
    jbe 5f
    addb $('a' - '0' - 10), %al
5:  call putc
    popw %ax
    ret

    .balign 4
dap:
    .byte 16, 0
    .word 1                /* sectors */
    .word 0x9000, 0        /* buffer 0000:9000 */
    .quad 8                /* LBA */
e820_buffer: .skip 24
gp_seen: .byte 0
msg_started: .asciz "probe: started by the BIOS boot path, dl="
msg_e820: .asciz "probe: e820 "
msg_e820_count: .asciz "probe: e820 entries "
msg_e801: .asciz "probe: e801 "
msg_int12: .asciz "probe: int12 "
msg_vmmcall: .asciz "probe: vmmcall "
msg_straddle: .asciz "probe: inl 1ee "
msg_efer: .asciz "probe: efer reserved bit write #GP "
msg_lba: .asciz "probe: lba8 "
msg_lba_failed: .asciz "probe: lba read failed\r\n"
msg_done: .asciz "probe: done\r\n"

    .org 8 * 512
    .asciz "netboot-probe-sector-8"
    .org 9 * 512
