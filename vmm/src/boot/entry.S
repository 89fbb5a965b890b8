/* SPDX-License-Identifier: MIT */
/* Multiboot entry: 32-bit protected mode, paging off (multiboot spec 0.6.96, section 3.2).
 * Builds boot page tables (identity map of 0-4 GiB, and HV_VIRT_BASE -> HV_LOAD_PA), enters
 * long mode and calls boot_main() at its linked (high) address. */
#include "boot/layout.h"

#define PA(sym) ((sym) - HV_VIRT_BASE + HV_LOAD_PA)
#define PTE_PRESENT_WRITE 0x003
#define PDE_LARGE         0x083

    .section .multiboot, "a"
    .balign 4
multiboot_header:
    .long MULTIBOOT_HEADER_MAGIC
    .long MULTIBOOT_WANT_MEMORY
    .long -(MULTIBOOT_HEADER_MAGIC + MULTIBOOT_WANT_MEMORY)

    .section .boot.text, "ax"
    .code32
    .globl multiboot_entry
multiboot_entry:
    cli
    cld
    cmpl $MULTIBOOT_LOADER_MAGIC, %eax
    jne .Lno_multiboot
    movl %ebx, %esi                     /* multiboot information, physical */

    /* Zero .bss (the loader knows its size from the ELF but need not clear it). */
    movl $PA(__bss_start), %edi
    movl $PA(__bss_end), %ecx
    subl %edi, %ecx
    xorl %eax, %eax
    rep stosb
    movl %esi, PA(boot_multiboot_info)

    /* Long mode must exist (every SVM CPU has it); without it nothing can be printed yet. */
    movl $0x80000001, %eax
    cpuid
    btl $29, %edx
    jnc .Lno_long_mode

    /* PML4[0] -> identity PDPT with four 1 GiB directories of 2 MiB pages. */
    movl $PA(boot_pdpt_low) + PTE_PRESENT_WRITE, PA(boot_pml4)
    movl $PA(boot_pd_low) + PTE_PRESENT_WRITE, %eax
    movl $PA(boot_pdpt_low), %edi
    movl $4, %ecx
1:  movl %eax, (%edi)
    addl $4096, %eax
    addl $8, %edi
    loop 1b
    movl $PA(boot_pd_low), %edi
    movl $PDE_LARGE, %eax
    xorl %edx, %edx                     /* high dword of the physical address */
    movl $2048, %ecx
2:  movl %eax, (%edi)
    movl %edx, 4(%edi)
    addl $HV_LARGE_PAGE, %eax
    adcl $0, %edx
    addl $8, %edi
    loop 2b

    /* PML4[511] -> PDPT[510] -> directory mapping HV_VIRT_BASE to the load address. */
    movl $PA(boot_pdpt_high) + PTE_PRESENT_WRITE, PA(boot_pml4) + 511 * 8
    movl $PA(boot_pd_high) + PTE_PRESENT_WRITE, PA(boot_pdpt_high) + 510 * 8
    movl $PA(boot_pd_high), %edi
    movl $HV_LOAD_PA + PDE_LARGE, %eax
    movl $HV_BOOT_MAP_SIZE / HV_LARGE_PAGE, %ecx
3:  movl %eax, (%edi)
    addl $HV_LARGE_PAGE, %eax
    addl $8, %edi
    loop 3b

    /* PAE on, CR3, EFER.LME, then paging: the CPU is in long mode (compatibility submode). */
    movl %cr4, %eax
    orl $0x20, %eax
    movl %eax, %cr4
    movl $PA(boot_pml4), %eax
    movl %eax, %cr3
    movl $0xC0000080, %ecx
    rdmsr
    orl $0x100, %eax
    wrmsr
    movl %cr0, %eax
    orl $0x80000001, %eax
    movl %eax, %cr0

    lgdt PA(boot_gdt_pointer)
    ljmp $0x08, $PA(.Lentry64_low)

.Lno_multiboot:
.Lno_long_mode:
    hlt
    jmp .Lno_long_mode

    .code64
.Lentry64_low:
    movabsq $entry64_high, %rax
    jmp *%rax

    .text
entry64_high:
    movl $0x10, %eax
    movl %eax, %ds
    movl %eax, %es
    movl %eax, %ss
    xorl %eax, %eax
    movl %eax, %fs
    movl %eax, %gs
    leaq boot_stack_top(%rip), %rsp
    movl boot_multiboot_info(%rip), %edi
    call boot_main
    ud2

/* switch_to_relocated_image(new_cr3, entry): the new page tables map HV_VIRT_BASE to the
 * relocated copy; start `entry` on a fresh stack there. Never returns. */
    .globl switch_to_relocated_image
switch_to_relocated_image:
    movq %rdi, %cr3
    leaq boot_stack_top(%rip), %rsp
    xorl %ebp, %ebp
    call *%rsi
    ud2

    .section .rodata
    .balign 8
boot_gdt:
    .quad 0
    .quad 0x00AF9A000000FFFF            /* 0x08: 64-bit code */
    .quad 0x00CF92000000FFFF            /* 0x10: data */
boot_gdt_end:
boot_gdt_pointer:
    .word boot_gdt_end - boot_gdt - 1
    .long PA(boot_gdt)

    .data
    .globl boot_multiboot_info
boot_multiboot_info:
    .long 0

    .bss
    .balign 4096
boot_pml4:      .skip 4096
boot_pdpt_low:  .skip 4096
boot_pd_low:    .skip 4 * 4096
boot_pdpt_high: .skip 4096
boot_pd_high:   .skip 4096
    .balign 16
boot_stack:     .skip HV_STACK_SIZE
    .globl boot_stack_top
boot_stack_top:
