/* SPDX-License-Identifier: MIT */
/* VT-x's exit reasons and event fields (Intel SDM vol. 3, appendix C; 25.8.3, 28.2.2): what the
 * exit dispatch reads and what an injection writes. Pure. */
#ifndef VMX_VMX_EVENTS_H
#define VMX_VMX_EVENTS_H

#include <stdbool.h>
#include <stdint.h>

/* Basic exit reasons (bits 15:0 of the exit reason field). */
#define VMX_EXIT_REASON_EXCEPTION_NMI 0u
#define VMX_EXIT_REASON_EXTERNAL_INTERRUPT 1u
#define VMX_EXIT_REASON_TRIPLE_FAULT 2u
#define VMX_EXIT_REASON_INIT 3u
#define VMX_EXIT_REASON_INTERRUPT_WINDOW 7u
#define VMX_EXIT_REASON_CPUID 10u
#define VMX_EXIT_REASON_HLT 12u
#define VMX_EXIT_REASON_VMCALL 18u
#define VMX_EXIT_REASON_VMCLEAR 19u /* 19-27: the VMX instructions, VMCLEAR .. VMXON */
#define VMX_EXIT_REASON_VMXON 27u
#define VMX_EXIT_REASON_CR_ACCESS 28u
#define VMX_EXIT_REASON_IO 30u
#define VMX_EXIT_REASON_RDMSR 31u
#define VMX_EXIT_REASON_WRMSR 32u
#define VMX_EXIT_REASON_INVALID_GUEST_STATE 33u
#define VMX_EXIT_REASON_EPT_VIOLATION 48u
#define VMX_EXIT_REASON_EPT_MISCONFIG 49u
#define VMX_EXIT_REASON_INVEPT 50u
#define VMX_EXIT_REASON_INVVPID 53u
#define VMX_EXIT_REASON_ENTRY_FAILURE (1u << 31) /* the entry failed; the reason says why */

/* The interruption-information format of VM-entry injection and of exit and IDT-vectoring
 * information: vector, type, error code valid, valid. */
#define VMX_EVENT_VECTOR_MASK 0xFFu
#define VMX_EVENT_TYPE_SHIFT 8
#define VMX_EVENT_TYPE_EXTERNAL_INTERRUPT (0u << VMX_EVENT_TYPE_SHIFT)
#define VMX_EVENT_TYPE_NMI (2u << VMX_EVENT_TYPE_SHIFT)
#define VMX_EVENT_TYPE_HARDWARE_EXCEPTION (3u << VMX_EVENT_TYPE_SHIFT)
#define VMX_EVENT_TYPE_MASK (7u << VMX_EVENT_TYPE_SHIFT)
#define VMX_EVENT_ERROR_CODE_VALID (1u << 11)
#define VMX_EVENT_VALID (1u << 31)

/* An exception for VM-entry injection. Real mode pushes no error code, so one is delivered only
 * in protected mode (`protected_mode`: the guest's CR0.PE), as on SVM. */
uint32_t vmx_exception_event(uint8_t vector, bool has_error_code, bool protected_mode);

/* An external interrupt for VM-entry injection (the guest must be able to take it: RFLAGS.IF set
 * and no STI or MOV SS blocking, else the entry fails). */
static inline uint32_t vmx_external_interrupt_event(uint8_t vector) {
    return vector | VMX_EVENT_TYPE_EXTERNAL_INTERRUPT | VMX_EVENT_VALID;
}

/* The vector an exit with "acknowledge interrupt on exit" took from the interrupt controller;
 * false when the exit interruption information holds none. */
bool vmx_acknowledged_vector(uint32_t exit_interruption_info, uint8_t *vector);

#endif
