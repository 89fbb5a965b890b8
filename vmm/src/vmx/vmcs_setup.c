/* SPDX-License-Identifier: MIT */
#include "vmx/vmcs_setup.h"

#include "vmx/ept.h"

#define PAT_POWER_ON 0x0007040600070406ull
#define CR4_VMXE (1ull << 13)
/* Real-mode segments as the BIOS leaves them: present, accessed, read/write data or
 * execute/read code (SVM's 93h and 9Bh); TR a busy 16-bit TSS, as VM entry demands a usable TR. */
#define AR_DATA 0x93u
#define AR_CODE 0x9Bu
#define AR_TSS_BUSY_16 0x8Bu
#define AR_LDT 0x82u

static void put(struct vmcs_setup *out, uint32_t field, uint64_t value) {
    /* the list has room for every field set here (VMCS_SETUP_MAX_FIELDS); a new one that
     * overflows it is caught by the host test, which counts them */
    if (out->count < VMCS_SETUP_MAX_FIELDS) out->fields[out->count++] = (struct vmcs_field_value){ field, value };
}

/* One guest segment: ES=0 .. TR=7 in the VMCS's order. */
static void put_segment(struct vmcs_setup *out, unsigned index, uint16_t selector, uint64_t base, uint32_t limit,
                        uint32_t access_rights) {
    put(out, VMCS_GUEST_ES_SELECTOR + 2 * index, selector);
    put(out, VMCS_GUEST_ES_BASE + 2 * index, base);
    put(out, VMCS_GUEST_ES_LIMIT + 2 * index, limit);
    put(out, VMCS_GUEST_ES_ACCESS_RIGHTS + 2 * index, access_rights);
}

enum {
    SEG_INDEX_ES,
    SEG_INDEX_CS,
    SEG_INDEX_SS,
    SEG_INDEX_DS,
    SEG_INDEX_FS,
    SEG_INDEX_GS,
    SEG_INDEX_LDTR,
    SEG_INDEX_TR
};

static void put_guest_state(const struct vmx_capabilities *caps, const struct guest_start *start,
                            struct vmcs_setup *out) {
    put_segment(out, SEG_INDEX_CS, start->cs_selector, (uint64_t)start->cs_selector << 4, 0xFFFF, AR_CODE);
    static const unsigned data[] = { SEG_INDEX_ES, SEG_INDEX_SS, SEG_INDEX_DS, SEG_INDEX_FS, SEG_INDEX_GS };
    for (unsigned i = 0; i < sizeof data / sizeof data[0]; i++) put_segment(out, data[i], 0, 0, 0xFFFF, AR_DATA);
    put_segment(out, SEG_INDEX_LDTR, 0, 0, 0xFFFF, AR_LDT);
    put_segment(out, SEG_INDEX_TR, 0, 0, 0xFFFF, AR_TSS_BUSY_16);
    put(out, VMCS_GUEST_GDTR_BASE, 0);
    put(out, VMCS_GUEST_GDTR_LIMIT, 0);
    put(out, VMCS_GUEST_IDTR_BASE, 0);
    put(out, VMCS_GUEST_IDTR_LIMIT, 0x3FF);

    /* CR0 and CR4 carry the bits VMX fixes (CR0.NE, CR4.VMXE); the guest owns the rest and
     * reads its own view through the shadows, and a write to an owned-by-us bit exits. */
    uint64_t cr0 = vmx_fixed_cr0(caps, VMX_GUEST_START_CR0, true);
    uint64_t cr4 = vmx_fixed_cr4(caps, 0);
    put(out, VMCS_GUEST_CR0, cr0);
    put(out, VMCS_CR0_READ_SHADOW, VMX_GUEST_START_CR0);
    put(out, VMCS_CR0_GUEST_HOST_MASK, (caps->cr0_fixed0 & ~(CR0_PE | CR0_PG)) | (~caps->cr0_fixed1 & 0xFFFFFFFFull));
    put(out, VMCS_GUEST_CR3, 0);
    put(out, VMCS_GUEST_CR4, cr4);
    put(out, VMCS_CR4_READ_SHADOW, 0);
    put(out, VMCS_CR4_GUEST_HOST_MASK, caps->cr4_fixed0 | (~caps->cr4_fixed1 & 0xFFFFFFFFull) | CR4_VMXE);

    put(out, VMCS_GUEST_RIP, start->ip);
    put(out, VMCS_GUEST_RSP, 0x7C00);
    put(out, VMCS_GUEST_RFLAGS, 0x2);
    put(out, VMCS_GUEST_DR7, 0x400);
    put(out, VMCS_GUEST_DEBUGCTL, 0);
    put(out, VMCS_GUEST_PAT, PAT_POWER_ON);
    put(out, VMCS_GUEST_EFER, 0);
    put(out, VMCS_GUEST_SYSENTER_CS, 0);
    put(out, VMCS_GUEST_SYSENTER_ESP, 0);
    put(out, VMCS_GUEST_SYSENTER_EIP, 0);
    put(out, VMCS_GUEST_INTERRUPTIBILITY, 0);
    put(out, VMCS_GUEST_ACTIVITY_STATE, 0); /* active */
    put(out, VMCS_GUEST_PENDING_DEBUG, 0);
    put(out, VMCS_LINK_POINTER, ~0ull); /* no shadow VMCS */
}

static void put_host_state(const struct vmx_host_state *h, struct vmcs_setup *out) {
    put(out, VMCS_HOST_CR0, h->cr0);
    put(out, VMCS_HOST_CR3, h->cr3);
    put(out, VMCS_HOST_CR4, h->cr4);
    put(out, VMCS_HOST_EFER, h->efer);
    put(out, VMCS_HOST_PAT, h->pat);
    /* VM entry demands host selectors with RPL and TI clear */
    put(out, VMCS_HOST_CS_SELECTOR, h->cs & 0xFFF8u);
    put(out, VMCS_HOST_SS_SELECTOR, h->ss & 0xFFF8u);
    put(out, VMCS_HOST_DS_SELECTOR, h->ds & 0xFFF8u);
    put(out, VMCS_HOST_ES_SELECTOR, h->es & 0xFFF8u);
    put(out, VMCS_HOST_FS_SELECTOR, h->fs & 0xFFF8u);
    put(out, VMCS_HOST_GS_SELECTOR, h->gs & 0xFFF8u);
    put(out, VMCS_HOST_TR_SELECTOR, h->tr & 0xFFF8u);
    put(out, VMCS_HOST_FS_BASE, h->fs_base);
    put(out, VMCS_HOST_GS_BASE, h->gs_base);
    put(out, VMCS_HOST_TR_BASE, h->tr_base);
    put(out, VMCS_HOST_GDTR_BASE, h->gdtr_base);
    put(out, VMCS_HOST_IDTR_BASE, h->idtr_base);
    put(out, VMCS_HOST_SYSENTER_CS, 0);
    put(out, VMCS_HOST_SYSENTER_ESP, 0);
    put(out, VMCS_HOST_SYSENTER_EIP, 0);
    put(out, VMCS_HOST_RSP, h->rsp);
    put(out, VMCS_HOST_RIP, h->rip);
}

/* One control field: the `wanted` controls, and the CPU's must-be-1 ones unless they are
 * `unwanted` (the backend has no handler for their exits, or turns them on only at times). */
static const char *put_control(struct vmcs_setup *out, uint32_t field, uint64_t capability, uint32_t wanted,
                               uint32_t unwanted, const char *refused) {
    uint32_t value;
    if (!vmx_control_value(capability, wanted, &value) || (value & unwanted)) return refused;
    put(out, field, value);
    return 0;
}

const char *vmcs_initial_setup(const struct vmx_capabilities *caps, const struct vmx_host_state *host,
                               const struct vmx_structures *structures, const struct guest_start *start,
                               struct vmcs_setup *out) {
    out->count = 0;
    const char *refused = vmx_unsupported_reason(caps);
    if (refused) return refused;
    /* External interrupts go straight to the guest (its IDT) until background work turns their
     * exits on; NMIs too. HLT exits likewise only while work waits (hv/background.h). */
    refused =
        put_control(out, VMCS_PIN_CONTROLS, caps->pinbased, 0, VMX_PIN_EXTERNAL_INTERRUPT_EXITING | VMX_PIN_NMI_EXITING,
                    "this CPU's VT-x cannot run a guest without NMI or interrupt exits");
    if (!refused)
        refused = put_control(out, VMCS_PROC_CONTROLS, caps->procbased,
                              VMX_PROC_USE_IO_BITMAPS | VMX_PROC_USE_MSR_BITMAPS | VMX_PROC_SECONDARY_CONTROLS,
                              VMX_PROC_HLT_EXITING | VMX_PROC_INTERRUPT_WINDOW_EXITING | VMX_PROC_CR3_LOAD_EXITING |
                                  VMX_PROC_CR3_STORE_EXITING,
                              "this CPU's VT-x forces HLT, interrupt-window or CR3 exits, or refuses I/O and MSR "
                              "bitmaps with secondary controls");
    if (!refused)
        refused =
            put_control(out, VMCS_PROC2_CONTROLS, caps->procbased2, VMX_PROC2_ENABLE_EPT | VMX_PROC2_UNRESTRICTED_GUEST,
                        0, "this CPU's VT-x refuses EPT with unrestricted guest");
    if (!refused)
        refused = put_control(out, VMCS_EXIT_CONTROLS, caps->exit,
                              VMX_EXIT_HOST_ADDRESS_SPACE_64 | VMX_EXIT_ACK_INTERRUPT | VMX_EXIT_SAVE_PAT |
                                  VMX_EXIT_LOAD_PAT | VMX_EXIT_SAVE_EFER | VMX_EXIT_LOAD_EFER,
                              0, "this CPU's VT-x cannot return to a 64-bit host saving and loading PAT and EFER");
    if (!refused)
        refused = put_control(out, VMCS_ENTRY_CONTROLS, caps->entry, VMX_ENTRY_LOAD_PAT | VMX_ENTRY_LOAD_EFER,
                              VMX_ENTRY_IA32E_GUEST, "this CPU's VT-x cannot load the guest's PAT and EFER at entry");
    if (refused) {
        out->count = 0;
        return refused;
    }
    put(out, VMCS_EXCEPTION_BITMAP, 0);
    put(out, VMCS_CR3_TARGET_COUNT, 0);
    put(out, VMCS_EXIT_MSR_STORE_COUNT, 0);
    put(out, VMCS_EXIT_MSR_LOAD_COUNT, 0);
    put(out, VMCS_ENTRY_MSR_LOAD_COUNT, 0);
    put(out, VMCS_ENTRY_INTERRUPTION_INFO, 0);
    put(out, VMCS_IO_BITMAP_A, structures->io_bitmap_a_pa);
    put(out, VMCS_IO_BITMAP_B, structures->io_bitmap_b_pa);
    put(out, VMCS_MSR_BITMAP, structures->msr_bitmap_pa);
    put(out, VMCS_EPT_POINTER, ept_pointer(start->npt_root_pa));
    put_guest_state(caps, start, out);
    put_host_state(host, out);
    return 0;
}

bool vmcs_setup_value(const struct vmcs_setup *setup, uint32_t field, uint64_t *value) {
    for (unsigned i = 0; i < setup->count; i++)
        if (setup->fields[i].field == field) {
            *value = setup->fields[i].value;
            return true;
        }
    return false;
}
