/* SPDX-License-Identifier: MIT */
/* EPT built by vmm/src/vmx/ept.c, walked by hand: 1:1 with the firmware's memory types, 2 MiB
 * pages where a block has one type, 4 KiB pages in the first MiB, the hypervisor's region
 * unmapped, and a fenced page read-only. */

#include "pagetable_host.h"
#include "tap.h"
#include "vmx/ept.h"

#define MIB 0x100000ull
#define RWX (EPT_READ | EPT_WRITE | EPT_EXECUTE)
#define TYPE(t) ((uint64_t)(t) << EPT_MEMORY_TYPE_SHIFT)

static _Alignas(4096) uint8_t pool_memory[64 * PAGE_SIZE];

/* 64 MiB of guest memory, the hypervisor at 32-36 MiB; MTRRs: default WB, 48-64 MiB UC (a device
 * window), the first MiB WB but A0000-BFFFF UC. */
static struct mtrr_state mtrrs;
static struct ept_layout layout = {
    .identity_limit = 64 * MIB, .hidden_base = 32 * MIB, .hidden_size = 4 * MIB, .mtrrs = &mtrrs
};

static uint64_t *build(struct page_pool *pool) {
    mtrrs = (struct mtrr_state){ .def_type = MTRR_DEF_ENABLE | MTRR_DEF_FIXED_ENABLE | MTRR_TYPE_WB,
                                 .variable_count = 1,
                                 .address_mask = 0xFFFFFFFFFF000ull };
    for (unsigned m = 0; m < MTRR_FIXED_MSRS; m++) mtrrs.fixed[m] = 0x0606060606060606ull;
    mtrrs.fixed[2] = 0; /* A0000-BFFFF: UC */
    mtrrs.phys_base[0] = 48 * MIB | MTRR_TYPE_UC;
    mtrrs.phys_mask[0] = (~(16 * MIB - 1) & mtrrs.address_mask) | MTRR_PHYS_MASK_VALID;
    *pool =
        (struct page_pool){ (uint64_t)(uintptr_t)pool_memory, (uint64_t)(uintptr_t)pool_memory + sizeof pool_memory };
    return ept_build_identity(pool, &layout);
}

static void memory_is_mapped_one_to_one_with_its_type_in_2mib_pages(void) {
    struct page_pool pool;
    uint64_t *pml4 = build(&pool);
    uint64_t size = 0;
    CHECK_EQ_U64(leaf(pml4, 2 * MIB, &size), 2 * MIB | RWX | TYPE(MTRR_TYPE_WB) | PT_LARGE);
    CHECK_EQ_U64(size, HV_LARGE_PAGE);
    CHECK_EQ_U64(leaf(pml4, 30 * MIB, &size), 30 * MIB | RWX | TYPE(MTRR_TYPE_WB) | PT_LARGE);
    CHECK_EQ_U64(leaf(pml4, 48 * MIB, &size), 48 * MIB | RWX | TYPE(MTRR_TYPE_UC) | PT_LARGE);
    CHECK_EQ_U64(leaf(pml4, 62 * MIB, &size), 62 * MIB | RWX | TYPE(MTRR_TYPE_UC) | PT_LARGE);
    CHECK_EQ_U64(leaf(pml4, 64 * MIB, &size), 0); /* past the identity limit */
    /* Tables above the leaves grant everything and carry no memory type (reserved there). */
    CHECK_EQ_U64(pml4[0] & 0xFFF, EPT_TABLE_FLAGS);
}

static void the_first_mib_gets_4kib_pages_with_the_fixed_ranges_types(void) {
    struct page_pool pool;
    uint64_t *pml4 = build(&pool);
    uint64_t size = 0;
    CHECK_EQ_U64(leaf(pml4, 0x9F000, &size), 0x9F000 | RWX | TYPE(MTRR_TYPE_WB));
    CHECK_EQ_U64(size, PAGE_SIZE);
    CHECK_EQ_U64(leaf(pml4, 0xB8000, &size), 0xB8000 | RWX | TYPE(MTRR_TYPE_UC));
    CHECK_EQ_U64(leaf(pml4, 0x100000, &size), 0x100000 | RWX | TYPE(MTRR_TYPE_WB)); /* rest of the block, 4K */
    CHECK_EQ_U64(size, PAGE_SIZE);
}

static void the_hypervisors_region_is_not_mapped(void) {
    struct page_pool pool;
    uint64_t *pml4 = build(&pool);
    uint64_t size = 0;
    for (uint64_t gpa = 32 * MIB; gpa < 36 * MIB; gpa += HV_LARGE_PAGE) CHECK_EQ_U64(leaf(pml4, gpa, &size), 0);
    CHECK_EQ_U64(leaf(pml4, 36 * MIB, &size), 36 * MIB | RWX | TYPE(MTRR_TYPE_WB) | PT_LARGE);
}

static void a_fenced_page_is_read_only_and_keeps_its_type(void) {
    struct page_pool pool;
    uint64_t *pml4 = build(&pool);
    ept_map_read_only(pml4, &pool, &mtrrs, 50 * MIB + 0x3000, 0x7000);
    uint64_t size = 0;
    CHECK_EQ_U64(leaf(pml4, 50 * MIB + 0x3000, &size), 0x7000 | EPT_READ | TYPE(MTRR_TYPE_UC));
    CHECK_EQ_U64(leaf(pml4, 50 * MIB + 0x4000, &size), (50 * MIB + 0x4000) | RWX | TYPE(MTRR_TYPE_UC));
    CHECK_EQ_U64(size, PAGE_SIZE);
}

static void the_pointer_says_write_back_and_a_four_level_walk(void) {
    CHECK_EQ_U64(ept_pointer(0x123000), 0x123000 | 0x1E);
}

int main(void) {
    TEST(memory_is_mapped_one_to_one_with_its_type_in_2mib_pages);
    TEST(the_first_mib_gets_4kib_pages_with_the_fixed_ranges_types);
    TEST(the_hypervisors_region_is_not_mapped);
    TEST(a_fenced_page_is_read_only_and_keeps_its_type);
    TEST(the_pointer_says_write_back_and_a_four_level_walk);
    return tap_finish();
}
