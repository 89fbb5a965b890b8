/* SPDX-License-Identifier: MIT */
/* VT-x capability MSRs: control fields from their allowed settings, the CPUs the hypervisor
 * refuses (and why), and CR0/CR4 under the fixed bits with and without unrestricted guest. */
#include "tap.h"
#include "vmx/vmx_caps.h"
#include "vmx_caps_fixture.h"

static void control_fields(void) {
    uint32_t value = 0xDEAD;
    /* wanted bits are set, required bits added */
    CHECK(vmx_control_value(control(0x16, 0x7F), 1u << 0, &value));
    CHECK_EQ_U64(value, 0x17);
    /* a wanted bit the CPU does not allow is refused, the value left as it was */
    value = 0xDEAD;
    CHECK(!vmx_control_value(control(0x16, 0x7F), 1u << 8, &value));
    CHECK_EQ_U64(value, 0xDEAD);
    /* the processor-based field the backend wants: HLT exits, I/O and MSR bitmaps, secondary */
    uint32_t wanted =
        VMX_PROC_HLT_EXITING | VMX_PROC_USE_IO_BITMAPS | VMX_PROC_USE_MSR_BITMAPS | VMX_PROC_SECONDARY_CONTROLS;
    CHECK(vmx_control_value(capable_cpu().procbased, wanted, &value));
    CHECK_EQ_U64(value & wanted, wanted);
    CHECK_EQ_U64(value & 0x04006172u, 0x04006172u);
}

static void a_capable_cpu_is_accepted(void) {
    struct vmx_capabilities c = capable_cpu();
    CHECK(vmx_unsupported_reason(&c) == 0);
    /* firmware that never locked the feature control MSR leaves VMX to the hypervisor */
    c.feature_control = 0;
    CHECK(vmx_unsupported_reason(&c) == 0);
}

static bool says(const struct vmx_capabilities *c, const char *word) {
    const char *reason = vmx_unsupported_reason(c);
    return reason && strstr(reason, word);
}

static void cpus_it_refuses_say_why(void) {
    struct vmx_capabilities c = capable_cpu();
    c.feature_control = FEATURE_CONTROL_LOCKED;
    CHECK(says(&c, "disabled by the firmware"));

    c = capable_cpu();
    c.procbased &= ~((uint64_t)VMX_PROC_SECONDARY_CONTROLS << 32); /* a Core 2: no secondary controls */
    CHECK(says(&c, "no EPT"));

    c = capable_cpu();
    c.procbased2 &= ~((uint64_t)VMX_PROC2_ENABLE_EPT << 32);
    CHECK(says(&c, "no EPT"));

    c = capable_cpu();
    c.procbased2 &= ~((uint64_t)VMX_PROC2_UNRESTRICTED_GUEST << 32); /* a Nehalem: EPT, no unrestricted guest */
    CHECK(says(&c, "no unrestricted guest"));

    c = capable_cpu();
    c.ept_vpid = VMX_EPT_MEMORY_TYPE_WB;
    CHECK(says(&c, "4-level"));

    c = capable_cpu();
    c.basic &= ~(0xFull << VMX_BASIC_MEMORY_TYPE_SHIFT);
    CHECK(says(&c, "uncached"));

    c = capable_cpu();
    c.procbased &= ~((uint64_t)VMX_PROC_USE_IO_BITMAPS << 32);
    CHECK(says(&c, "I/O or MSR bitmaps"));
}

static void fixed_control_register_bits(void) {
    struct vmx_capabilities c = capable_cpu();
    /* real mode at reset (CR0 = ET only): with unrestricted guest only NE is forced on */
    CHECK_EQ_U64(vmx_fixed_cr0(&c, 0x10, true), 0x30);
    /* without it, PE and PG are forced too: the guest could not start in real mode */
    CHECK_EQ_U64(vmx_fixed_cr0(&c, 0x10, false), 0x80000031u);
    /* bits FIXED1 clears are cleared */
    c.cr0_fixed1 = 0xFFFFFFF7u;
    CHECK_EQ_U64(vmx_fixed_cr0(&c, 0x18, true), 0x30);
    c = capable_cpu();
    CHECK_EQ_U64(vmx_fixed_cr4(&c, 0), 0x2000);
    CHECK_EQ_U64(vmx_fixed_cr4(&c, 0x800000), 0x2000); /* a bit this CPU does not have */
}

int main(void) {
    TEST(control_fields);
    TEST(a_capable_cpu_is_accepted);
    TEST(cpus_it_refuses_say_why);
    TEST(fixed_control_register_bits);
    return tap_finish();
}
