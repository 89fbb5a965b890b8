/* SPDX-License-Identifier: MIT */
/* The guest's own copies of the machine-wide MSRs: which exist, what they start as, and that a
 * write changes only the copy. */
#include "tap.h"
#include "hv/host_msrs.h"

static unsigned reads;

/* The CPU's value of each MSR: its number plus a marker, so a copy can be traced to its MSR. */
static uint64_t cpu_value(uint32_t msr) {
    reads++;
    return 0xC0DE000000000000ull | msr;
}

static bool listed(unsigned count, uint32_t msr) {
    for (unsigned i = 0; i < count; i++)
        if (host_msrs_at(i) == msr) return true;
    return false;
}

static void lists_what_the_cpu_has(void) {
    const struct host_msr_presence all = {
        .mtrr = true, .fixed_mtrrs = true, .variable_mtrrs = 8, .amd_memory_map = true
    };
    reads = 0;
    unsigned count = host_msrs_init(&all, cpu_value);
    CHECK_EQ_U64(count, 16 + 11 + 1 + 3);
    CHECK_EQ_U64(reads, count);
    CHECK(listed(count, 0x200) && listed(count, 0x20F) && !listed(count, 0x210));
    CHECK(listed(count, 0x250) && listed(count, 0x258) && listed(count, 0x259));
    CHECK(listed(count, 0x268) && listed(count, 0x26F) && !listed(count, 0x270));
    CHECK(listed(count, 0x2FF) && listed(count, 0xC0010010u) && listed(count, 0xC001001Au) &&
          listed(count, 0xC001001Du));
    CHECK(!listed(count, MSR_MTRR_CAP)); /* read-only: the guest reads the CPU's */

    /* Nothing listed that the CPU lacks: reading it would fault in the hypervisor. */
    const struct host_msr_presence two_variable = { .mtrr = true, .variable_mtrrs = 2 };
    count = host_msrs_init(&two_variable, cpu_value);
    CHECK_EQ_U64(count, 4 + 1);
    CHECK(listed(count, 0x203) && !listed(count, 0x204) && !listed(count, 0x250) && !listed(count, 0xC0010010u));
    const struct host_msr_presence none = { 0 };
    CHECK_EQ_U64(host_msrs_init(&none, cpu_value), 0);
    uint64_t value;
    CHECK(!host_msrs_read(0x2FF, &value));
}

static void guest_reads_back_what_it_wrote(void) {
    const struct host_msr_presence all = {
        .mtrr = true, .fixed_mtrrs = true, .variable_mtrrs = 8, .amd_memory_map = true
    };
    host_msrs_init(&all, cpu_value);
    uint64_t value = 0;
    CHECK(host_msrs_read(MSR_MTRR_DEF_TYPE, &value));
    CHECK_EQ_U64(value, 0xC0DE0000000002FFull); /* the CPU's until written */
    bool first = false;
    CHECK(host_msrs_write(MSR_MTRR_DEF_TYPE, 0x6, &first));
    CHECK(first);
    CHECK(host_msrs_read(MSR_MTRR_DEF_TYPE, &value));
    CHECK_EQ_U64(value, 0x6);
    CHECK(host_msrs_write(MSR_MTRR_DEF_TYPE, 0xC06, &first));
    CHECK(!first);
    CHECK(host_msrs_read(MSR_AMD_TOP_MEM, &value));
    CHECK_EQ_U64(value, 0xC0DE0000C001001Aull); /* the others untouched */
    CHECK(!host_msrs_write(0x277, 0, &first));  /* PAT is the guest's own: not listed */
}

int main(void) {
    TEST(lists_what_the_cpu_has);
    TEST(guest_reads_back_what_it_wrote);
    return tap_finish();
}
