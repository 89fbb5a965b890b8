/* SPDX-License-Identifier: MIT */
/* mtrr_range_type on MTRR settings as PC firmware leaves them: RAM write-back by default or by
 * variable ranges, the PCI hole uncached, the first MiB typed by the fixed ranges. */
#include "tap.h"
#include "x86/mtrr.h"

#define MIB 0x100000ull
#define GIB 0x40000000ull
#define ENABLED (MTRR_DEF_ENABLE | MTRR_DEF_FIXED_ENABLE)
#define BYTES8(t) (0x0101010101010101ull * (t))

/* A made-up PC with 4 GiB of address space in use: default WB, 3-4 GiB uncached by one variable
 * range, fixed ranges WB except the legacy VGA window (A0000-BFFFF) UC. */
static struct mtrr_state firmware_like(void) {
    struct mtrr_state s = { .def_type = ENABLED | MTRR_TYPE_WB,
                            .variable_count = 8,
                            .address_mask = 0xFFFFFFFFFF000ull };
    for (unsigned m = 0; m < MTRR_FIXED_MSRS; m++) s.fixed[m] = BYTES8(MTRR_TYPE_WB);
    s.fixed[2] = BYTES8(MTRR_TYPE_UC); /* A0000-BFFFF */
    s.phys_base[0] = 3 * GIB | MTRR_TYPE_UC;
    s.phys_mask[0] = (~(GIB - 1) & s.address_mask) | MTRR_PHYS_MASK_VALID;
    return s;
}

static void ram_is_write_back_and_the_pci_hole_uncached_in_whole_2mib_blocks(void) {
    struct mtrr_state s = firmware_like();
    CHECK_EQ_U64(mtrr_range_type(&s, 2 * MIB, 2 * MIB), MTRR_TYPE_WB);
    CHECK_EQ_U64(mtrr_range_type(&s, 3 * GIB - 2 * MIB, 2 * MIB), MTRR_TYPE_WB);
    CHECK_EQ_U64(mtrr_range_type(&s, 3 * GIB, 2 * MIB), MTRR_TYPE_UC);
    CHECK_EQ_U64(mtrr_range_type(&s, 4 * GIB - 2 * MIB, 2 * MIB), MTRR_TYPE_UC);
    CHECK_EQ_U64(mtrr_range_type(&s, 4 * GIB, 2 * MIB), MTRR_TYPE_WB); /* above the hole: default */
}

static void the_first_mib_is_mixed_and_its_pages_take_the_fixed_ranges_types(void) {
    struct mtrr_state s = firmware_like();
    CHECK_EQ_U64(mtrr_range_type(&s, 0, 2 * MIB), (uint64_t)(int64_t)MTRR_TYPE_MIXED);
    CHECK_EQ_U64(mtrr_range_type(&s, 0x9F000, 0x1000), MTRR_TYPE_WB);
    CHECK_EQ_U64(mtrr_range_type(&s, 0xA0000, 0x1000), MTRR_TYPE_UC);
    CHECK_EQ_U64(mtrr_range_type(&s, 0xBF000, 0x1000), MTRR_TYPE_UC);
    CHECK_EQ_U64(mtrr_range_type(&s, 0xC0000, 0x1000), MTRR_TYPE_WB);
    /* One byte of one 4K fixed MSR: F0000-F0FFF write-protected, the next page not. */
    s.fixed[9] = (s.fixed[9] & ~0xFFull) | MTRR_TYPE_WP;
    CHECK_EQ_U64(mtrr_range_type(&s, 0xF0000, 0x1000), MTRR_TYPE_WP);
    CHECK_EQ_U64(mtrr_range_type(&s, 0xF1000, 0x1000), MTRR_TYPE_WB);
    CHECK_EQ_U64(mtrr_range_type(&s, MIB, MIB), MTRR_TYPE_WB); /* above the fixed ranges */
}

static void a_variable_range_smaller_than_the_block_makes_it_mixed(void) {
    struct mtrr_state s = firmware_like();
    s.phys_base[1] = (8 * MIB + 0x100000) | MTRR_TYPE_WC; /* 1 MiB of WC inside 8-10 MiB */
    s.phys_mask[1] = (~(MIB - 1) & s.address_mask) | MTRR_PHYS_MASK_VALID;
    CHECK_EQ_U64(mtrr_range_type(&s, 8 * MIB, 2 * MIB), (uint64_t)(int64_t)MTRR_TYPE_MIXED);
    CHECK_EQ_U64(mtrr_range_type(&s, 8 * MIB, MIB), MTRR_TYPE_WB);
    CHECK_EQ_U64(mtrr_range_type(&s, 9 * MIB, MIB), MTRR_TYPE_WC);
    CHECK_EQ_U64(mtrr_range_type(&s, 10 * MIB, 2 * MIB), MTRR_TYPE_WB);
}

static void overlaps_combine_uc_first_then_wt_over_wb_and_invalid_ranges_do_not_count(void) {
    struct mtrr_state s = firmware_like();
    s.phys_base[1] = 3 * GIB | MTRR_TYPE_WB; /* overlaps the UC hole */
    s.phys_mask[1] = s.phys_mask[0];
    CHECK_EQ_U64(mtrr_range_type(&s, 3 * GIB, 2 * MIB), MTRR_TYPE_UC);
    s.phys_base[2] = 0 | MTRR_TYPE_WT; /* 0-1 GiB WT over the default WB */
    s.phys_mask[2] = s.phys_mask[0];
    s.phys_base[3] = 0 | MTRR_TYPE_WB;
    s.phys_mask[3] = s.phys_mask[0];
    CHECK_EQ_U64(mtrr_range_type(&s, 16 * MIB, 2 * MIB), MTRR_TYPE_WT);
    s.phys_base[4] = 0 | MTRR_TYPE_WC; /* WC with WT: undefined, taken as UC */
    s.phys_mask[4] = s.phys_mask[0];
    CHECK_EQ_U64(mtrr_range_type(&s, 16 * MIB, 2 * MIB), MTRR_TYPE_UC);
    s.phys_mask[4] &= ~MTRR_PHYS_MASK_VALID;
    CHECK_EQ_U64(mtrr_range_type(&s, 16 * MIB, 2 * MIB), MTRR_TYPE_WT);
}

static void mtrrs_switched_off_make_everything_uncached(void) {
    struct mtrr_state s = firmware_like();
    s.def_type &= ~MTRR_DEF_ENABLE;
    CHECK_EQ_U64(mtrr_range_type(&s, 0, 2 * MIB), MTRR_TYPE_UC);
    CHECK_EQ_U64(mtrr_range_type(&s, 2 * MIB, 2 * MIB), MTRR_TYPE_UC);
    /* Fixed ranges off: the first MiB follows the variable ranges and the default. */
    s = firmware_like();
    s.def_type &= ~MTRR_DEF_FIXED_ENABLE;
    CHECK_EQ_U64(mtrr_range_type(&s, 0, 2 * MIB), MTRR_TYPE_WB);
}

int main(void) {
    TEST(ram_is_write_back_and_the_pci_hole_uncached_in_whole_2mib_blocks);
    TEST(the_first_mib_is_mixed_and_its_pages_take_the_fixed_ranges_types);
    TEST(a_variable_range_smaller_than_the_block_makes_it_mixed);
    TEST(overlaps_combine_uc_first_then_wt_over_wb_and_invalid_ranges_do_not_count);
    TEST(mtrrs_switched_off_make_everything_uncached);
    return tap_finish();
}
