/* SPDX-License-Identifier: MIT */
/* svm_world_switch(gprs, vmcb_pa, host_vmcb_pa): one round trip into the guest.
 * VMRUN switches RAX, RSP, RIP, RFLAGS, segment and control state through the VMCB; the other
 * GPRs are ours to load and save. VMLOAD/VMSAVE move the state VMRUN does not (FS, GS, TR,
 * LDTR, syscall MSRs): the guest's from its VMCB, the host's from a separate area. */
#define GPR_RBX  8
#define GPR_RCX 16
#define GPR_RDX 24
#define GPR_RSI 32
#define GPR_RDI 40
#define GPR_RBP 48
#define GPR_R8  64
#define GPR_R9  72
#define GPR_R10 80
#define GPR_R11 88
#define GPR_R12 96
#define GPR_R13 104
#define GPR_R14 112
#define GPR_R15 120

    .text
    .globl svm_world_switch
svm_world_switch:
    pushq %rbx
    pushq %rbp
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    pushq %rdx                      /* host area */
    pushq %rdi                      /* gprs */
    pushq %rsi                      /* guest VMCB */

    movq %rdx, %rax
    vmsave                          /* host FS/GS/TR/... into the host area */

    movq GPR_RBX(%rdi), %rbx
    movq GPR_RCX(%rdi), %rcx
    movq GPR_RDX(%rdi), %rdx
    movq GPR_RBP(%rdi), %rbp
    movq GPR_R8(%rdi), %r8
    movq GPR_R9(%rdi), %r9
    movq GPR_R10(%rdi), %r10
    movq GPR_R11(%rdi), %r11
    movq GPR_R12(%rdi), %r12
    movq GPR_R13(%rdi), %r13
    movq GPR_R14(%rdi), %r14
    movq GPR_R15(%rdi), %r15
    movq GPR_RSI(%rdi), %rsi
    movq GPR_RDI(%rdi), %rdi

    movq (%rsp), %rax               /* guest VMCB */
    vmload
    vmrun
    vmsave                          /* RAX still holds the guest VMCB after #VMEXIT */

    pushq %rdi                      /* guest RDI */
    movq 16(%rsp), %rdi             /* gprs */
    movq %rbx, GPR_RBX(%rdi)
    movq %rcx, GPR_RCX(%rdi)
    movq %rdx, GPR_RDX(%rdi)
    movq %rsi, GPR_RSI(%rdi)
    movq %rbp, GPR_RBP(%rdi)
    movq %r8, GPR_R8(%rdi)
    movq %r9, GPR_R9(%rdi)
    movq %r10, GPR_R10(%rdi)
    movq %r11, GPR_R11(%rdi)
    movq %r12, GPR_R12(%rdi)
    movq %r13, GPR_R13(%rdi)
    movq %r14, GPR_R14(%rdi)
    movq %r15, GPR_R15(%rdi)
    popq GPR_RDI(%rdi)

    addq $16, %rsp                  /* guest VMCB, gprs */
    popq %rax                       /* host area */
    vmload
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbp
    popq %rbx
    ret
