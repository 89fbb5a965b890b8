/* SPDX-License-Identifier: MIT */
/* Page tables built by vmm/src/mm/pagetable.c, walked by hand: 2 MiB identity mappings, and one
 * 4 KiB page remapped inside them (how the nested page tables fence a device's BAR). On the
 * host, "physical" addresses are this process's addresses (phys_to_virt is a cast). */

#include "boot/layout.h"
#include "mm/pagetable.h"
#include "pagetable_host.h"
#include "tap.h"

#define FLAGS (PT_PRESENT | PT_WRITE | PT_USER)

static _Alignas(4096) uint8_t pool_memory[64 * PAGE_SIZE];

static struct page_pool fresh_pool(void) {
    return (struct page_pool){ (uint64_t)(uintptr_t)pool_memory,
                               (uint64_t)(uintptr_t)pool_memory + sizeof pool_memory };
}

static void a_page_inside_a_large_page_is_remapped_and_its_neighbours_keep_their_mapping(void) {
    struct page_pool pool = fresh_pool();
    uint64_t *pml4 = pool_alloc_pages(&pool, 1);
    pagetable_map_large(pml4, &pool, 0, 0, 8 * HV_LARGE_PAGE, FLAGS, FLAGS);
    uint64_t bar = 0xC1000; /* in the first 2 MiB page */
    pagetable_map_page(pml4, &pool, bar, 0x7000, FLAGS, PT_PRESENT | PT_USER);

    uint64_t size = 0;
    uint64_t e = leaf(pml4, bar, &size);
    CHECK_EQ_U64(size, PAGE_SIZE);
    CHECK_EQ_U64(e & ADDRESS_MASK, 0x7000);
    CHECK_EQ_U64(e & 0xFFF, PT_PRESENT | PT_USER); /* read-only */
    for (uint64_t va = 0; va < HV_LARGE_PAGE; va += PAGE_SIZE) {
        if (va == bar) continue;
        e = leaf(pml4, va, &size);
        CHECK_EQ_U64(size, PAGE_SIZE);
        CHECK_EQ_U64(e, va | FLAGS);
    }
    e = leaf(pml4, HV_LARGE_PAGE, &size); /* the next 2 MiB page stays large */
    CHECK_EQ_U64(size, HV_LARGE_PAGE);
    CHECK_EQ_U64(e & ADDRESS_MASK, HV_LARGE_PAGE);
}

static void a_second_page_in_the_same_large_page_reuses_its_table(void) {
    struct page_pool pool = fresh_pool();
    uint64_t *pml4 = pool_alloc_pages(&pool, 1);
    pagetable_map_large(pml4, &pool, 0, 0, HV_LARGE_PAGE, FLAGS, FLAGS);
    pagetable_map_page(pml4, &pool, 0x1000, 0x9000, FLAGS, PT_PRESENT);
    uint64_t used = pool.next_pa;
    pagetable_map_page(pml4, &pool, 0x2000, 0x9000, FLAGS, PT_PRESENT);
    CHECK_EQ_U64(pool.next_pa, used);
    uint64_t size = 0;
    CHECK_EQ_U64(leaf(pml4, 0x1000, &size) & ADDRESS_MASK, 0x9000);
    CHECK_EQ_U64(leaf(pml4, 0x2000, &size) & ADDRESS_MASK, 0x9000);
    CHECK_EQ_U64(leaf(pml4, 0x3000, &size), 0x3000 | FLAGS);
}

static void a_page_where_nothing_was_mapped_gets_a_table_of_its_own(void) {
    struct page_pool pool = fresh_pool();
    uint64_t *pml4 = pool_alloc_pages(&pool, 1);
    uint64_t high = 0xFD00000000ull; /* above anything mapped */
    pagetable_map_page(pml4, &pool, high, 0x9000, FLAGS, PT_PRESENT);
    uint64_t size = 0;
    CHECK_EQ_U64(leaf(pml4, high, &size) & ADDRESS_MASK, 0x9000);
    CHECK_EQ_U64(leaf(pml4, high + PAGE_SIZE, &size), 0);
}

int main(void) {
    TEST(a_page_inside_a_large_page_is_remapped_and_its_neighbours_keep_their_mapping);
    TEST(a_second_page_in_the_same_large_page_reuses_its_table);
    TEST(a_page_where_nothing_was_mapped_gets_a_table_of_its_own);
    return tap_finish();
}
