/* SPDX-License-Identifier: MIT */
/* The VMCS set-up for the real-mode start, read against the VM-entry checks of the Intel SDM
 * vol. 3, 27.2-27.3 (controls, host state, guest state) that apply to it: a VMLAUNCH with these
 * values would fail on a rule below before it fails anywhere else. Also: the fields a VM entry
 * reads are all there, the guest sees its own CR0/CR4 through the shadows, and a CPU that refuses
 * a control is refused with a reason. */
#include "tap.h"
#include "vmx/vmcs_setup.h"
#include "vmx_caps_fixture.h"

#define CR0_NE (1ull << 5)
#define CR4_PAE (1ull << 5)
#define CR4_VMXE (1ull << 13)
#define EFER_LME (1ull << 8)
#define EFER_LMA (1ull << 10)

static const struct vmx_host_state host = {
    .cr0 = 0x80050033u, /* PG, WP, NE, ET, MP, PE */
    .cr3 = 0x1000000,
    .cr4 = CR4_PAE | CR4_VMXE | (1ull << 9),
    .efer = EFER_LME | EFER_LMA | 1, /* SCE */
    .pat = 0x0007040600070406ull,
    .cs = 0x08,
    .ss = 0x10,
    .ds = 0x10,
    .es = 0x10,
    .fs = 0,
    .gs = 0,
    .tr = 0x2B, /* TR with RPL 3 bits set */
    .gdtr_base = 0x1001000,
    .idtr_base = 0x1002000,
    .tr_base = 0x1003000,
    .rsp = 0x1100000,
    .rip = 0xFFFFFFFF81000000ull,
};
static const struct vmx_structures structures = { 0x2000000, 0x2001000, 0x2002000 };
static const struct guest_start start = { .cs_selector = 0, .ip = 0x7C00, .npt_root_pa = 0x3000000 };

static uint64_t value(const struct vmcs_setup *s, uint32_t field) {
    uint64_t v = 0xBADBADBADull;
    if (!vmcs_setup_value(s, field, &v)) {
        tap_case_failures++;
        printf("# VMCS field %04x is not set\n", field);
    }
    return v;
}

/* A control value within its capability MSR (bits 31:0 must be 1, bits 63:32 may be 1). */
static bool allowed(uint64_t capability, uint64_t v) {
    return (v & (uint32_t)capability) == (uint32_t)capability && (v & ~(capability >> 32) & 0xFFFFFFFFull) == 0;
}

static bool canonical(uint64_t a) { return (uint64_t)((int64_t)(a << 16) >> 16) == a; }

static void every_field_a_vm_entry_reads_is_set(void) {
    struct vmx_capabilities caps = capable_cpu();
    struct vmcs_setup s;
    CHECK(vmcs_initial_setup(&caps, &host, &structures, &start, &s) == 0);
    CHECK(s.count < VMCS_SETUP_MAX_FIELDS); /* put() would have dropped one */
    static const uint32_t needed[] = {
        VMCS_PIN_CONTROLS,
        VMCS_PROC_CONTROLS,
        VMCS_PROC2_CONTROLS,
        VMCS_EXIT_CONTROLS,
        VMCS_ENTRY_CONTROLS,
        VMCS_EXCEPTION_BITMAP,
        VMCS_CR3_TARGET_COUNT,
        VMCS_EXIT_MSR_STORE_COUNT,
        VMCS_EXIT_MSR_LOAD_COUNT,
        VMCS_ENTRY_MSR_LOAD_COUNT,
        VMCS_ENTRY_INTERRUPTION_INFO,
        VMCS_IO_BITMAP_A,
        VMCS_IO_BITMAP_B,
        VMCS_MSR_BITMAP,
        VMCS_EPT_POINTER,
        VMCS_LINK_POINTER,
        VMCS_GUEST_CR0,
        VMCS_GUEST_CR3,
        VMCS_GUEST_CR4,
        VMCS_CR0_READ_SHADOW,
        VMCS_CR4_READ_SHADOW,
        VMCS_CR0_GUEST_HOST_MASK,
        VMCS_CR4_GUEST_HOST_MASK,
        VMCS_GUEST_DR7,
        VMCS_GUEST_DEBUGCTL,
        VMCS_GUEST_PAT,
        VMCS_GUEST_EFER,
        VMCS_GUEST_RIP,
        VMCS_GUEST_RSP,
        VMCS_GUEST_RFLAGS,
        VMCS_GUEST_GDTR_BASE,
        VMCS_GUEST_GDTR_LIMIT,
        VMCS_GUEST_IDTR_BASE,
        VMCS_GUEST_IDTR_LIMIT,
        VMCS_GUEST_INTERRUPTIBILITY,
        VMCS_GUEST_ACTIVITY_STATE,
        VMCS_GUEST_PENDING_DEBUG,
        VMCS_GUEST_SYSENTER_CS,
        VMCS_GUEST_SYSENTER_ESP,
        VMCS_GUEST_SYSENTER_EIP,
        VMCS_HOST_CR0,
        VMCS_HOST_CR3,
        VMCS_HOST_CR4,
        VMCS_HOST_EFER,
        VMCS_HOST_PAT,
        VMCS_HOST_CS_SELECTOR,
        VMCS_HOST_SS_SELECTOR,
        VMCS_HOST_DS_SELECTOR,
        VMCS_HOST_ES_SELECTOR,
        VMCS_HOST_FS_SELECTOR,
        VMCS_HOST_GS_SELECTOR,
        VMCS_HOST_TR_SELECTOR,
        VMCS_HOST_FS_BASE,
        VMCS_HOST_GS_BASE,
        VMCS_HOST_TR_BASE,
        VMCS_HOST_GDTR_BASE,
        VMCS_HOST_IDTR_BASE,
        VMCS_HOST_SYSENTER_CS,
        VMCS_HOST_SYSENTER_ESP,
        VMCS_HOST_SYSENTER_EIP,
        VMCS_HOST_RSP,
        VMCS_HOST_RIP,
    };
    for (unsigned i = 0; i < sizeof needed / sizeof needed[0]; i++) (void)value(&s, needed[i]);
    for (unsigned seg = 0; seg < 8; seg++) {
        (void)value(&s, VMCS_GUEST_ES_SELECTOR + 2 * seg);
        (void)value(&s, VMCS_GUEST_ES_BASE + 2 * seg);
        (void)value(&s, VMCS_GUEST_ES_LIMIT + 2 * seg);
        (void)value(&s, VMCS_GUEST_ES_ACCESS_RIGHTS + 2 * seg);
    }
    /* each field once: a second write would silently win */
    for (unsigned i = 0; i < s.count; i++)
        for (unsigned j = i + 1; j < s.count; j++) CHECK(s.fields[i].field != s.fields[j].field);
}

/* SDM 27.2.1: the controls. */
static void controls_pass_the_entry_checks(void) {
    struct vmx_capabilities caps = capable_cpu();
    struct vmcs_setup s;
    CHECK(vmcs_initial_setup(&caps, &host, &structures, &start, &s) == 0);
    CHECK(allowed(caps.pinbased, value(&s, VMCS_PIN_CONTROLS)));
    CHECK(allowed(caps.procbased, value(&s, VMCS_PROC_CONTROLS)));
    CHECK(allowed(caps.procbased2, value(&s, VMCS_PROC2_CONTROLS)));
    CHECK(allowed(caps.exit, value(&s, VMCS_EXIT_CONTROLS)));
    CHECK(allowed(caps.entry, value(&s, VMCS_ENTRY_CONTROLS)));
    uint64_t proc = value(&s, VMCS_PROC_CONTROLS), proc2 = value(&s, VMCS_PROC2_CONTROLS);
    CHECK(proc & VMX_PROC_SECONDARY_CONTROLS);
    CHECK(proc & VMX_PROC_USE_IO_BITMAPS);
    CHECK(proc & VMX_PROC_USE_MSR_BITMAPS);
    /* unrestricted guest requires EPT */
    CHECK((proc2 & (VMX_PROC2_UNRESTRICTED_GUEST | VMX_PROC2_ENABLE_EPT)) ==
          (VMX_PROC2_UNRESTRICTED_GUEST | VMX_PROC2_ENABLE_EPT));
    /* interrupts and HLT reach the guest until background work asks for them */
    CHECK(!(value(&s, VMCS_PIN_CONTROLS) & VMX_PIN_EXTERNAL_INTERRUPT_EXITING));
    CHECK(!(proc & VMX_PROC_HLT_EXITING));
    CHECK(value(&s, VMCS_CR3_TARGET_COUNT) <= 4);
    CHECK_EQ_U64(value(&s, VMCS_IO_BITMAP_A), structures.io_bitmap_a_pa);
    CHECK_EQ_U64(value(&s, VMCS_IO_BITMAP_B), structures.io_bitmap_b_pa);
    CHECK_EQ_U64(value(&s, VMCS_MSR_BITMAP) & 0xFFF, 0);
    /* EPTP: write-back (6), a 4-level walk (3 in bits 5:3), bits 11:7 clear, the PML4's address */
    uint64_t eptp = value(&s, VMCS_EPT_POINTER);
    CHECK_EQ_U64(eptp & 7, 6);
    CHECK_EQ_U64(eptp >> 3 & 7, 3);
    CHECK_EQ_U64(eptp & 0xF80, 0);
    CHECK_EQ_U64(eptp & ~0xFFFull, start.npt_root_pa);
    /* a 64-bit hypervisor; a guest that is not in IA-32e mode; no event to inject */
    uint64_t exit = value(&s, VMCS_EXIT_CONTROLS), entry = value(&s, VMCS_ENTRY_CONTROLS);
    CHECK(exit & VMX_EXIT_HOST_ADDRESS_SPACE_64);
    CHECK(exit & VMX_EXIT_ACK_INTERRUPT);
    CHECK(!(entry & VMX_ENTRY_IA32E_GUEST));
    CHECK_EQ_U64(value(&s, VMCS_ENTRY_INTERRUPTION_INFO) >> 31, 0);
}

/* SDM 27.2.2-27.2.4: the host state. */
static void host_state_passes_the_entry_checks(void) {
    struct vmx_capabilities caps = capable_cpu();
    struct vmcs_setup s;
    CHECK(vmcs_initial_setup(&caps, &host, &structures, &start, &s) == 0);
    uint64_t cr0 = value(&s, VMCS_HOST_CR0), cr4 = value(&s, VMCS_HOST_CR4);
    CHECK_EQ_U64(cr0 & caps.cr0_fixed0, caps.cr0_fixed0);
    CHECK_EQ_U64(cr4 & caps.cr4_fixed0, caps.cr4_fixed0);
    CHECK(cr4 & CR4_PAE); /* a 64-bit host */
    uint64_t efer = value(&s, VMCS_HOST_EFER);
    CHECK((efer & EFER_LMA) && (efer & EFER_LME));
    static const uint32_t selectors[] = { VMCS_HOST_CS_SELECTOR, VMCS_HOST_SS_SELECTOR, VMCS_HOST_DS_SELECTOR,
                                          VMCS_HOST_ES_SELECTOR, VMCS_HOST_FS_SELECTOR, VMCS_HOST_GS_SELECTOR,
                                          VMCS_HOST_TR_SELECTOR };
    for (unsigned i = 0; i < sizeof selectors / sizeof selectors[0]; i++)
        CHECK_EQ_U64(value(&s, selectors[i]) & 7, 0); /* RPL and TI clear */
    CHECK(value(&s, VMCS_HOST_CS_SELECTOR) != 0);
    CHECK_EQ_U64(value(&s, VMCS_HOST_TR_SELECTOR), 0x28);
    static const uint32_t bases[] = { VMCS_HOST_FS_BASE,      VMCS_HOST_GS_BASE,     VMCS_HOST_TR_BASE,
                                      VMCS_HOST_GDTR_BASE,    VMCS_HOST_IDTR_BASE,   VMCS_HOST_RIP,
                                      VMCS_HOST_SYSENTER_ESP, VMCS_HOST_SYSENTER_EIP };
    for (unsigned i = 0; i < sizeof bases / sizeof bases[0]; i++) CHECK(canonical(value(&s, bases[i])));
    CHECK_EQ_U64(value(&s, VMCS_HOST_RIP), host.rip);
    CHECK_EQ_U64(value(&s, VMCS_HOST_RSP), host.rsp);
}

/* One guest segment's access rights, against 27.3.1.2 for an unrestricted guest in real mode. */
static void check_segment(const struct vmcs_setup *s, unsigned index) {
    uint32_t ar = (uint32_t)value(s, VMCS_GUEST_ES_ACCESS_RIGHTS + 2 * index);
    uint32_t limit = (uint32_t)value(s, VMCS_GUEST_ES_LIMIT + 2 * index);
    unsigned type = ar & 0xF, system = ar >> 4 & 1, dpl = ar >> 5 & 3, present = ar >> 7 & 1, g = ar >> 15 & 1;
    CHECK_EQ_U64(ar & 0xFFFE0F00u, 0); /* reserved bits */
    CHECK(!(ar & VMX_AR_UNUSABLE));
    CHECK(present);
    CHECK(value(s, VMCS_GUEST_ES_BASE + 2 * index) >> 32 == 0);
    /* limit and granularity agree */
    if ((limit & 0xFFF) != 0xFFF) CHECK(!g);
    if (limit >> 20) CHECK(g);
    switch (index) {
    case 1: /* CS: accessed code, or with unrestricted guest read/write accessed data; DPL 0 in real mode */
        CHECK(system);
        CHECK(type == 3 || type == 9 || type == 11 || type == 13 || type == 15);
        CHECK_EQ_U64(dpl, 0);
        break;
    case 6: /* LDTR: an LDT */
        CHECK(!system);
        CHECK_EQ_U64(type, 2);
        break;
    case 7: /* TR: a busy TSS (16-bit allowed outside IA-32e mode) */
        CHECK(!system);
        CHECK(type == 3 || type == 11);
        break;
    default: /* data segments: accessed; SS read/write with DPL 0 while CR0.PE = 0 */
        CHECK(system);
        CHECK(type & 1);
        if (index == 2) CHECK((type == 3 || type == 7) && dpl == 0);
        break;
    }
}

/* SDM 27.3.1: the guest state of a real-mode start. */
static void guest_state_passes_the_entry_checks(void) {
    struct vmx_capabilities caps = capable_cpu();
    struct vmcs_setup s;
    CHECK(vmcs_initial_setup(&caps, &host, &structures, &start, &s) == 0);
    /* CR0: the fixed bits, but PE and PG may be 0 with unrestricted guest; PG only with PE */
    uint64_t cr0 = value(&s, VMCS_GUEST_CR0);
    CHECK_EQ_U64(cr0 & (caps.cr0_fixed0 & ~(CR0_PE | CR0_PG)), caps.cr0_fixed0 & ~(CR0_PE | CR0_PG));
    CHECK_EQ_U64(cr0 & ~caps.cr0_fixed1, 0);
    CHECK(!(cr0 & CR0_PG) || (cr0 & CR0_PE));
    CHECK(!(cr0 & CR0_PE));
    uint64_t cr4 = value(&s, VMCS_GUEST_CR4);
    CHECK_EQ_U64(cr4 & caps.cr4_fixed0, caps.cr4_fixed0);
    CHECK_EQ_U64(cr4 & ~caps.cr4_fixed1, 0);
    CHECK_EQ_U64(value(&s, VMCS_GUEST_DR7) >> 32, 0);
    /* EFER with "load EFER": LMA = IA-32e mode guest (off), LME = LMA while paging is on */
    CHECK_EQ_U64(value(&s, VMCS_GUEST_EFER) & (EFER_LMA | EFER_LME), 0);
    /* PAT: each entry a valid memory type (0, 1, 4, 5, 6, 7) */
    uint64_t pat = value(&s, VMCS_GUEST_PAT);
    for (unsigned i = 0; i < 8; i++) {
        unsigned type = pat >> (8 * i) & 0xFF;
        CHECK(type == 0 || type == 1 || (type >= 4 && type <= 7));
    }
    for (unsigned seg = 0; seg < 8; seg++) check_segment(&s, seg);
    CHECK(value(&s, VMCS_GUEST_GDTR_LIMIT) <= 0xFFFF);
    CHECK(value(&s, VMCS_GUEST_IDTR_LIMIT) <= 0xFFFF);
    /* RIP within 32 bits outside IA-32e mode; RFLAGS bit 1 set, reserved bits and VM clear */
    CHECK_EQ_U64(value(&s, VMCS_GUEST_RIP) >> 32, 0);
    uint64_t rflags = value(&s, VMCS_GUEST_RFLAGS);
    CHECK_EQ_U64(rflags & 2, 2);
    CHECK_EQ_U64(rflags & (~0x3FFFFFull | (1u << 15) | (1u << 5) | (1u << 3) | (1u << 17)), 0);
    CHECK_EQ_U64(value(&s, VMCS_GUEST_ACTIVITY_STATE), 0);
    CHECK_EQ_U64(value(&s, VMCS_GUEST_INTERRUPTIBILITY), 0);
    CHECK_EQ_U64(value(&s, VMCS_LINK_POINTER), ~0ull);
}

static void the_guest_sees_its_own_control_registers(void) {
    struct vmx_capabilities caps = capable_cpu();
    struct vmcs_setup s;
    CHECK(vmcs_initial_setup(&caps, &host, &structures, &start, &s) == 0);
    /* the CPU runs the guest with CR0.NE and CR4.VMXE, which VMX fixes; the guest reads ET only,
     * and owning those bits, the hypervisor sees the guest's writes to them */
    CHECK(value(&s, VMCS_GUEST_CR0) & CR0_NE);
    CHECK_EQ_U64(value(&s, VMCS_CR0_READ_SHADOW), VMX_GUEST_START_CR0);
    CHECK(value(&s, VMCS_CR0_GUEST_HOST_MASK) & CR0_NE);
    CHECK(!(value(&s, VMCS_CR0_GUEST_HOST_MASK) & (CR0_PE | CR0_PG))); /* real to protected mode: no exit */
    CHECK(value(&s, VMCS_GUEST_CR4) & CR4_VMXE);
    CHECK_EQ_U64(value(&s, VMCS_CR4_READ_SHADOW), 0);
    CHECK(value(&s, VMCS_CR4_GUEST_HOST_MASK) & CR4_VMXE);
    /* the boot sector's start, as on SVM */
    CHECK_EQ_U64(value(&s, VMCS_GUEST_RIP), 0x7C00);
    CHECK_EQ_U64(value(&s, VMCS_GUEST_ES_BASE + 2 * 1), 0); /* CS base = selector x 16 */
    struct guest_start far = { .cs_selector = 0x7C0, .ip = 0, .npt_root_pa = start.npt_root_pa };
    CHECK(vmcs_initial_setup(&caps, &host, &structures, &far, &s) == 0);
    CHECK_EQ_U64(value(&s, VMCS_GUEST_ES_BASE + 2 * 1), 0x7C00);
    CHECK_EQ_U64(value(&s, VMCS_GUEST_ES_SELECTOR + 2 * 1), 0x7C0);
}

static bool setup_refuses(const struct vmx_capabilities *caps, const char *word) {
    struct vmcs_setup s;
    const char *reason = vmcs_initial_setup(caps, &host, &structures, &start, &s);
    return reason && s.count == 0 && strstr(reason, word);
}

static void a_refused_control_is_named(void) {
    struct vmx_capabilities c = capable_cpu();
    c.exit &= ~((uint64_t)VMX_EXIT_LOAD_EFER << 32);
    CHECK(setup_refuses(&c, "PAT and EFER"));
    c = capable_cpu();
    c.entry &= ~((uint64_t)VMX_ENTRY_LOAD_PAT << 32);
    CHECK(setup_refuses(&c, "guest's PAT"));
    c = capable_cpu();
    c.pinbased |= VMX_PIN_EXTERNAL_INTERRUPT_EXITING; /* a CPU that forces interrupt exits */
    CHECK(setup_refuses(&c, "without NMI or interrupt exits"));
    c = capable_cpu();
    c.procbased |= VMX_PROC_CR3_LOAD_EXITING; /* the non-TRUE MSR's default-1 bits */
    CHECK(setup_refuses(&c, "CR3 exits"));
    /* what vmx_unsupported_reason refuses, the set-up refuses too */
    c = capable_cpu();
    c.procbased2 &= ~((uint64_t)VMX_PROC2_UNRESTRICTED_GUEST << 32);
    CHECK(setup_refuses(&c, "no unrestricted guest"));
}

int main(void) {
    TEST(every_field_a_vm_entry_reads_is_set);
    TEST(controls_pass_the_entry_checks);
    TEST(host_state_passes_the_entry_checks);
    TEST(guest_state_passes_the_entry_checks);
    TEST(the_guest_sees_its_own_control_registers);
    TEST(a_refused_control_is_named);
    return tap_finish();
}
