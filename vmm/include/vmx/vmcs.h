/* SPDX-License-Identifier: MIT */
/* The VMCS fields and control bits the VT-x backend uses (Intel SDM vol. 3, appendix B for the
 * field encodings, chapter 25 for the controls). A field's encoding says its width (bits 14:13:
 * 16-bit, 64-bit, 32-bit, natural) and kind (bits 11:10: control, read-only, guest, host). */
#ifndef VMX_VMCS_H
#define VMX_VMCS_H

/* ---- 16-bit fields ---- */
#define VMCS_GUEST_ES_SELECTOR 0x0800u /* then CS, SS, DS, FS, GS, LDTR, TR at +2 each */
#define VMCS_GUEST_LDTR_SELECTOR 0x080Cu
#define VMCS_GUEST_TR_SELECTOR 0x080Eu
#define VMCS_HOST_ES_SELECTOR 0x0C00u /* then CS, SS, DS, FS, GS, TR at +2 each */
#define VMCS_HOST_CS_SELECTOR 0x0C02u
#define VMCS_HOST_SS_SELECTOR 0x0C04u
#define VMCS_HOST_DS_SELECTOR 0x0C06u
#define VMCS_HOST_FS_SELECTOR 0x0C08u
#define VMCS_HOST_GS_SELECTOR 0x0C0Au
#define VMCS_HOST_TR_SELECTOR 0x0C0Cu

/* ---- 64-bit fields ---- */
#define VMCS_IO_BITMAP_A 0x2000u /* ports 0000h-7FFFh */
#define VMCS_IO_BITMAP_B 0x2002u /* ports 8000h-FFFFh */
#define VMCS_MSR_BITMAP 0x2004u
#define VMCS_EPT_POINTER 0x201Au
#define VMCS_GUEST_PHYSICAL_ADDRESS 0x2400u /* read-only: an EPT violation's address */
#define VMCS_LINK_POINTER 0x2800u
#define VMCS_GUEST_DEBUGCTL 0x2802u
#define VMCS_GUEST_PAT 0x2804u
#define VMCS_GUEST_EFER 0x2806u
#define VMCS_HOST_PAT 0x2C00u
#define VMCS_HOST_EFER 0x2C02u

/* ---- 32-bit fields ---- */
#define VMCS_PIN_CONTROLS 0x4000u
#define VMCS_PROC_CONTROLS 0x4002u
#define VMCS_EXCEPTION_BITMAP 0x4004u
#define VMCS_CR3_TARGET_COUNT 0x400Au
#define VMCS_EXIT_CONTROLS 0x400Cu
#define VMCS_EXIT_MSR_STORE_COUNT 0x400Eu
#define VMCS_EXIT_MSR_LOAD_COUNT 0x4010u
#define VMCS_ENTRY_CONTROLS 0x4012u
#define VMCS_ENTRY_MSR_LOAD_COUNT 0x4014u
#define VMCS_ENTRY_INTERRUPTION_INFO 0x4016u
#define VMCS_ENTRY_EXCEPTION_ERROR_CODE 0x4018u
#define VMCS_ENTRY_INSTRUCTION_LENGTH 0x401Au
#define VMCS_PROC2_CONTROLS 0x401Eu
#define VMCS_INSTRUCTION_ERROR 0x4400u /* read-only from here to 440Eh */
#define VMCS_EXIT_REASON 0x4402u
#define VMCS_EXIT_INTERRUPTION_INFO 0x4404u
#define VMCS_EXIT_INTERRUPTION_ERROR_CODE 0x4406u
#define VMCS_IDT_VECTORING_INFO 0x4408u
#define VMCS_IDT_VECTORING_ERROR_CODE 0x440Au
#define VMCS_EXIT_INSTRUCTION_LENGTH 0x440Cu
#define VMCS_EXIT_INSTRUCTION_INFO 0x440Eu
#define VMCS_GUEST_ES_LIMIT 0x4800u /* then CS, SS, DS, FS, GS, LDTR, TR at +2 each */
#define VMCS_GUEST_GDTR_LIMIT 0x4810u
#define VMCS_GUEST_IDTR_LIMIT 0x4812u
#define VMCS_GUEST_ES_ACCESS_RIGHTS 0x4814u /* then CS, SS, DS, FS, GS, LDTR, TR at +2 each */
#define VMCS_GUEST_INTERRUPTIBILITY 0x4824u
#define VMCS_GUEST_ACTIVITY_STATE 0x4826u
#define VMCS_GUEST_SYSENTER_CS 0x482Au
#define VMCS_HOST_SYSENTER_CS 0x4C00u

/* ---- natural-width fields ---- */
#define VMCS_CR0_GUEST_HOST_MASK 0x6000u
#define VMCS_CR4_GUEST_HOST_MASK 0x6002u
#define VMCS_CR0_READ_SHADOW 0x6004u
#define VMCS_CR4_READ_SHADOW 0x6006u
#define VMCS_EXIT_QUALIFICATION 0x6400u
#define VMCS_GUEST_LINEAR_ADDRESS 0x640Au
#define VMCS_GUEST_CR0 0x6800u
#define VMCS_GUEST_CR3 0x6802u
#define VMCS_GUEST_CR4 0x6804u
#define VMCS_GUEST_ES_BASE 0x6806u /* then CS, SS, DS, FS, GS, LDTR, TR at +2 each */
#define VMCS_GUEST_GDTR_BASE 0x6816u
#define VMCS_GUEST_IDTR_BASE 0x6818u
#define VMCS_GUEST_DR7 0x681Au
#define VMCS_GUEST_RSP 0x681Cu
#define VMCS_GUEST_RIP 0x681Eu
#define VMCS_GUEST_RFLAGS 0x6820u
#define VMCS_GUEST_PENDING_DEBUG 0x6822u
#define VMCS_GUEST_SYSENTER_ESP 0x6824u
#define VMCS_GUEST_SYSENTER_EIP 0x6826u
#define VMCS_HOST_CR0 0x6C00u
#define VMCS_HOST_CR3 0x6C02u
#define VMCS_HOST_CR4 0x6C04u
#define VMCS_HOST_FS_BASE 0x6C06u
#define VMCS_HOST_GS_BASE 0x6C08u
#define VMCS_HOST_TR_BASE 0x6C0Au
#define VMCS_HOST_GDTR_BASE 0x6C0Cu
#define VMCS_HOST_IDTR_BASE 0x6C0Eu
#define VMCS_HOST_SYSENTER_ESP 0x6C10u
#define VMCS_HOST_SYSENTER_EIP 0x6C12u
#define VMCS_HOST_RSP 0x6C14u
#define VMCS_HOST_RIP 0x6C16u

/* ---- controls ---- */
/* Pin-based. */
#define VMX_PIN_EXTERNAL_INTERRUPT_EXITING (1u << 0)
#define VMX_PIN_NMI_EXITING (1u << 3)
/* Primary processor-based. */
#define VMX_PROC_INTERRUPT_WINDOW_EXITING (1u << 2)
#define VMX_PROC_HLT_EXITING (1u << 7)
#define VMX_PROC_CR3_LOAD_EXITING (1u << 15)
#define VMX_PROC_CR3_STORE_EXITING (1u << 16)
#define VMX_PROC_USE_IO_BITMAPS (1u << 25)
#define VMX_PROC_USE_MSR_BITMAPS (1u << 28)
#define VMX_PROC_SECONDARY_CONTROLS (1u << 31)
/* Secondary processor-based. */
#define VMX_PROC2_ENABLE_EPT (1u << 1)
#define VMX_PROC2_UNRESTRICTED_GUEST (1u << 7)
/* VM-exit. */
#define VMX_EXIT_HOST_ADDRESS_SPACE_64 (1u << 9)
#define VMX_EXIT_ACK_INTERRUPT (1u << 15) /* the exit takes the interrupt and reports its vector */
#define VMX_EXIT_SAVE_PAT (1u << 18)
#define VMX_EXIT_LOAD_PAT (1u << 19)
#define VMX_EXIT_SAVE_EFER (1u << 20)
#define VMX_EXIT_LOAD_EFER (1u << 21)
/* VM-entry. */
#define VMX_ENTRY_IA32E_GUEST (1u << 9)
#define VMX_ENTRY_LOAD_PAT (1u << 14)
#define VMX_ENTRY_LOAD_EFER (1u << 15)

/* Guest segment access rights (the descriptor's byte 5 and flags nibble; bit 16: unusable). */
#define VMX_AR_UNUSABLE (1u << 16)

#endif
