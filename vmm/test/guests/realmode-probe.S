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

    /* The rest of the probe is in sectors 2-7: load them with a CHS read (INT 13h AH=02h). */
    movw $0x0206, %ax
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
msg_chs_failed: .asciz "probe: CHS read of sectors 2-7 failed\r\n"

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

    /* WRMSR to the TSC sets the guest's clock only: the guest reads small values after it, and
     * the hypervisor's log times (its clock) go on from where they were. */
    xorl %eax, %eax
    xorl %edx, %edx
    movl $0x10, %ecx
    wrmsr
    rdtsc
    pushl %eax
    pushl %edx
    movw $msg_tsc, %si
    call print
    popl %eax
    call print_hex32
    popl %eax
    call print_hex32
    call newline

    /* Machine-wide MSRs are the guest's own copies: it reads back what it wrote (TOP_MEM at
     * 1 GiB; MTRRdefType with its default type switched between WB and UC), while the CPU keeps
     * its values (the hypervisor logs both on the first write). */
    movl $0xC001001A, %ecx
    movl $0x40000000, %eax
    xorl %edx, %edx
    wrmsr
    rdmsr
    movw $msg_top_mem, %si
    call print
    call print_hex32
    call newline
    movl $0x2FF, %ecx
    rdmsr
    xorl $6, %eax
    pushl %eax
    wrmsr
    movw $msg_mtrr_wrote, %si
    call print
    popl %eax
    call print_hex32
    movw $msg_read, %si
    call print
    movl $0x2FF, %ecx
    rdmsr
    call print_hex32
    call newline

    call page_fault_in_rep_insw

    /* The hypervisor's NIC, hidden and fenced. The test reads its BARs and the IDE bus master's
     * ports from the hypervisor's log and types them, with the NIC's configuration space in the
     * ECAM window and the hypervisor's own base ("<memory base> <port base> <bus master> <ecam
     * or 0> <hypervisor>", hex) when asked;
     * without an answer within about 3 s (no NIC hidden) the checks are skipped. The probe reads
     * the NIC's STATUS register, then writes 0 to RCTL and TCTL through both BARs, which would
     * stop the NIC's receiver and transmitter: the LBA read below goes over AoE after this. */
    movw $msg_nic_ask, %si
    call print
    call read_hex32
    jc nic_skipped
    movl %eax, nic_memory
    call read_hex32
    jc nic_skipped
    movw %ax, nic_ports
    call read_hex32
    jc nic_skipped
    movw %ax, bus_master_ports
    call read_hex32
    jc nic_skipped
    movl %eax, nic_config
    call read_hex32
    jc nic_skipped
    movl %eax, hypervisor_base
    call enter_unreal_mode
    movl nic_memory, %ebx
    movl %fs:0x8(%ebx), %eax            /* STATUS */
    pushl %eax
    movw $msg_nic_status, %si
    call print
    popl %eax
    call print_hex32
    call newline
    xorl %eax, %eax
    movl %eax, %fs:0x100(%ebx)          /* RCTL = 0: receiver off */
    movl %eax, %fs:0x400(%ebx)          /* TCTL = 0: transmitter off */
    movw nic_ports, %dx
    movl $0x100, %eax
    outl %eax, %dx                      /* IOADDR = RCTL */
    addw $4, %dx
    xorl %eax, %eax
    outl %eax, %dx                      /* IODATA = 0 */
    subw $4, %dx
    inl %dx, %eax
    pushl %eax
    movw $msg_nic_ioaddr, %si
    call print
    popl %eax
    call print_hex32
    call newline

    /* The NIC's configuration space in the ECAM window (a PCIe chipset; the fourth value, 0 on
     * a PCI one): vendor and device ID, then 0 into its command register, which would turn off
     * its memory and I/O decoding and its bus mastering. */
    movl nic_config, %ebx
    testl %ebx, %ebx
    jz 17f
    movl %fs:(%ebx), %eax
    pushl %eax
    movw $msg_nic_config, %si
    call print
    popl %eax
    call print_hex32
    call newline
    movw $0, %fs:4(%ebx)
17:
    /* Bus-master DMA aimed at the NIC's registers, then at the hypervisor's own RAM (the fifth
     * value): a PCI bus master would write the sector over the NIC's RCTL, or into the
     * hypervisor; the emulated one must refuse (error bit) and keep both as they are. */
    movl nic_memory, %eax
    call read_dma_sector_8_to
    pushw %ax
    movw $msg_nic_dma, %si
    call print
    popw %ax
    call print_hex8
    call newline
    movl hypervisor_base, %eax
    call read_dma_sector_8_to
    pushw %ax
    movw $msg_hv_dma, %si
    call print
    popw %ax
    call print_hex8
    call newline
    jmp lba_read
nic_skipped:
    movw $msg_nic_skipped, %si
    call print

lba_read:
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

/* read_dma_sector_8_to: READ DMA of sector 8 into one 512-byte PRD region at EAX; returns the
 * bus master's status in AL once it is no longer active (or after about 3 s). */
read_dma_sector_8_to:
    movl %eax, prd_table
    movl $0x80000200, prd_table + 4     /* 512 bytes, end of table */
    movw bus_master_ports, %dx
    xorb %al, %al
    outb %al, %dx                       /* bus master stopped */
    addw $4, %dx
    movl $prd_table, %eax
    outl %eax, %dx                      /* PRD table address */
    subw $2, %dx
    movb $0x06, %al
    outb %al, %dx                       /* clear error and interrupt */
    movb $0xC8, %al                     /* READ DMA */
    call ata_command_sector_8
    movw bus_master_ports, %dx
    movb $0x09, %al                     /* start, towards memory */
    outb %al, %dx
    addw $2, %dx
    movl 0x46C, %ecx
    addl $55, %ecx
11: inb %dx, %al
    testb $1, %al                       /* still active */
    jz 12f
    cmpl 0x46C, %ecx
    ja 11b
12: pushw %ax
    movw bus_master_ports, %dx
    xorb %al, %al
    outb %al, %dx                       /* stop */
    movw $0x1F7, %dx
    inb %dx, %al                        /* read the status: the interrupt is acknowledged */
    popw %ax
    ret

/* ata_command_sector_8: issues command AL for one sector at LBA 8 on the primary master
 * through the task file (ports 1F2h-1F7h). */
ata_command_sector_8:
    pushw %ax
    movw $0x1F6, %dx
    movb $0xE0, %al                     /* master, LBA */
    outb %al, %dx
    movw $0x1F2, %dx
    movb $1, %al                        /* one sector ... */
    outb %al, %dx
    incw %dx
    movb $8, %al                        /* ... at LBA 8 */
    outb %al, %dx
    incw %dx
    xorb %al, %al
    outb %al, %dx
    incw %dx
    outb %al, %dx
    popw %ax
    movw $0x1F7, %dx
    outb %al, %dx
    ret

/* REP INSW into a page that is not present, in 32-bit protected mode with paging: sector 8
 * read by PIO into 1FF00h, whose second half is page 20000h. A CPU takes #PF at 20000h with
 * 128 words done (ECX = 128 left) and, once the handler has mapped the page, resumes the
 * instruction; the hypervisor, which executes the whole REP INSW for a captured port, must do
 * the same. Prints CR2, the error code, ECX at the fault and the result. */
#define PD 0x10000
#define PT 0x11000
#define PM_IDT 0x12000
#define UNMAPPED 0x20000
page_fault_in_rep_insw:
    cli
    movb $0x20, %al                     /* READ SECTORS (PIO) */
    call ata_command_sector_8           /* leaves DX at the status port */
13: inb %dx, %al
    testb $0x80, %al                    /* BSY */
    jnz 13b
    testb $0x08, %al                    /* DRQ */
    jz 13b

    /* Page directory, one page table identity-mapping 4 MiB except UNMAPPED, and an IDT whose
     * only gate is #PF. */
    movw $(PD >> 4), %ax
    movw %ax, %es
    xorw %di, %di
    xorl %eax, %eax
    movw $(3 * 1024), %cx
    cld
    rep stosl
    movl $(PT | 3), %es:0
    movw $(PT - PD), %di
    movl $3, %eax
    movw $1024, %cx
14: movl %eax, %es:(%di)
    addl $0x1000, %eax
    addw $4, %di
    loop 14b
    movl $(UNMAPPED | 2), %es:(PT - PD + (UNMAPPED >> 12) * 4)   /* writable, not present */
    movw $pf_handler, %es:(PM_IDT - PD + 14 * 8)
    movw $0x10, %es:(PM_IDT - PD + 14 * 8 + 2)
    movw $0x8E00, %es:(PM_IDT - PD + 14 * 8 + 4)  /* 32-bit interrupt gate */
    xorw %ax, %ax
    movw %ax, %es

    movzwl %sp, %esp
    lgdt gdt_descriptor
    lidt pm_idt_descriptor
    movl $PD, %eax
    movl %eax, %cr3
    movl %cr0, %eax
    orl $0x80000001, %eax               /* PE, PG */
    movl %eax, %cr0
    ljmpl $0x10, $15f
    .code32
15: movw $0x08, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movl $(UNMAPPED - 0x100), %edi
    movl $256, %ecx
    movw $0x1F0, %dx
    rep insw
    movl %ecx, pf_ecx_after
    movl %edi, pf_edi_after
    movl %cr0, %eax
    andl $0x7FFFFFFF, %eax              /* paging off */
    movl %eax, %cr0
    ljmp $0x18, $16f
    .code16
16: movw $0x20, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movl %cr0, %eax
    andb $0xFE, %al                     /* back to real mode */
    movl %eax, %cr0
    ljmp $0, $17f
17: xorw %ax, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    lidt real_mode_idt_descriptor
    sti
    movw $msg_pf, %si
    call print
    movl pf_cr2, %eax
    call print_hex32
    movw $msg_pf_error, %si
    call print
    movl pf_error, %eax
    call print_hex32
    movw $msg_pf_ecx, %si
    call print
    movl pf_ecx, %eax
    call print_hex32
    movw $msg_pf_after, %si
    call print
    movl pf_ecx_after, %eax
    call print_hex32
    movb $' ', %al
    call putc
    movl pf_edi_after, %eax
    call print_hex32
    movb $' ', %al
    call putc
    pushw %ds
    movw $((UNMAPPED - 0x100) >> 4), %ax
    movw %ax, %ds
    xorw %si, %si
    call print                          /* the sector's string, read across the fault */
    popw %ds
    jmp newline

    .code32
pf_handler:
    pushl %eax
    movl %cr2, %eax
    movl %eax, pf_cr2
    movl 4(%esp), %eax
    movl %eax, pf_error
    movl %ecx, pf_ecx
    orl $1, PT + (UNMAPPED >> 12) * 4   /* map the page */
    invlpg UNMAPPED
    popl %eax
    addl $4, %esp                       /* the error code */
    iret
    .code16

/* FS gets a flat 4 GiB limit (base 0) through a moment in protected mode, so 32-bit offsets
 * reach memory-mapped devices from real mode ("unreal mode"). */
enter_unreal_mode:
    cli
    lgdt gdt_descriptor
    movl %cr0, %eax
    orb $1, %al
    movl %eax, %cr0
    jmp 1f
1:  movw $8, %bx
    movw %bx, %fs
    andb $0xFE, %al
    movl %eax, %cr0
    jmp 2f
2:  xorw %bx, %bx
    movw %bx, %fs
    sti
    ret

/* read_hex32: hex digits from COM1 into EAX, ended by any other character; CF set when no
 * character arrived within about 3 s (55 ticks of the BIOS timer). */
read_hex32:
    pushl %ecx
    pushw %dx
    xorl %ecx, %ecx
    movl 0x46C, %edx
    addl $55, %edx
    movl %edx, read_deadline
6:  movw $0x3FD, %dx
    inb %dx, %al
    testb $1, %al
    jnz 7f
    movl 0x46C, %eax
    cmpl read_deadline, %eax
    jb 6b
    stc
    jmp 9f
7:  movw $0x3F8, %dx
    inb %dx, %al
    subb $'0', %al
    cmpb $9, %al
    jbe 8f
    subb $('a' - '0' - 10), %al
    cmpb $10, %al
    jb 10f
    cmpb $15, %al
    ja 10f
8:  shll $4, %ecx
    orb %al, %cl
    jmp 6b
10: movl %ecx, %eax
    clc
9:  popw %dx
    popl %ecx
    ret

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
prd_table: .long 0, 0        /* one PRD entry; 4-byte aligned after dap */
gdt:
    .quad 0
    .quad 0x00CF92000000FFFF   /* 08h flat data: base 0, limit 4 GiB, writable */
    .quad 0x00CF9A000000FFFF   /* 10h flat 32-bit code */
    .quad 0x00009A000000FFFF   /* 18h 16-bit code, base 0, limit 64 KiB (back to real mode) */
    .quad 0x000092000000FFFF   /* 20h 16-bit data, base 0, limit 64 KiB */
gdt_descriptor:
    .word 39
    .long gdt
pm_idt_descriptor:
    .word 32 * 8 - 1
    .long PM_IDT
real_mode_idt_descriptor:
    .word 0x3FF
    .long 0
pf_cr2: .long 0
pf_error: .long 0
pf_ecx: .long 0
pf_ecx_after: .long 0
pf_edi_after: .long 0
nic_memory: .long 0
nic_ports: .word 0
bus_master_ports: .word 0
nic_config: .long 0
hypervisor_base: .long 0
read_deadline: .long 0
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
msg_pf: .asciz "probe: rep insw #PF cr2 "
msg_pf_error: .asciz " error "
msg_pf_ecx: .asciz " ecx "
msg_pf_after: .asciz "; after ecx "
msg_tsc: .asciz "probe: tsc after writing 0 "
msg_top_mem: .asciz "probe: top_mem wrote 40000000 read "
msg_mtrr_wrote: .asciz "probe: mtrr def type wrote "
msg_read: .asciz " read "
msg_nic_ask: .asciz "probe: nic bars? "
msg_nic_config: .asciz "probe: nic config id "
msg_nic_status: .asciz "probe: nic status "
msg_nic_ioaddr: .asciz "probe: nic ioaddr "
msg_nic_dma: .asciz "probe: dma to nic bus master status "
msg_hv_dma: .asciz "probe: dma to hypervisor bus master status "
msg_nic_skipped: .asciz "\r\nprobe: nic not given\r\n"
msg_lba: .asciz "probe: lba8 "
msg_lba_failed: .asciz "probe: lba read failed\r\n"
msg_done: .asciz "probe: done\r\n"

    .org 8 * 512
    .asciz "netboot-probe-sector-8"
    .org 9 * 512
