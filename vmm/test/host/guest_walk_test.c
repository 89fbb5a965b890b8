/* SPDX-License-Identifier: MIT */
/* Host unit tests for vmm/src/mm/guest_walk.c: synthetic guest page tables in a byte array. */
#include "mm/guest_walk.h"
#include "tap.h"

#define P 0x1ull
#define RW 0x2ull
#define US 0x4ull
#define PS 0x80ull
#define NX (1ull << 63)
#define CR0_PG (1ull << 31)
#define CR0_WP (1ull << 16)
#define CR4_PSE (1ull << 4)
#define CR4_PAE (1ull << 5)
#define CR4_LA57 (1ull << 12)
#define EFER_LME (1ull << 8)
#define EFER_LMA (1ull << 10)
#define EFER_NXE (1ull << 11)
#define W GUEST_ACCESS_WRITE
#define U GUEST_ACCESS_USER
#define F GUEST_ACCESS_FETCH

/* Guest physical memory holding the page tables: [0, sizeof bytes); the rest is unreadable. */
static struct fake_ram {
    uint8_t bytes[0x40000];
    unsigned reads;
} ram;

static bool ram_read(void *ctx, uint64_t gpa, void *buf, size_t len) {
    struct fake_ram *r = ctx;
    r->reads++;
    if (gpa > sizeof r->bytes || len > sizeof r->bytes - gpa) return false;
    memcpy(buf, r->bytes + gpa, len);
    return true;
}

static void put(uint64_t gpa, uint64_t value, unsigned size) {
    for (unsigned i = 0; i < size; i++) ram.bytes[gpa + i] = (uint8_t)(value >> (8 * i));
}
static void put32(uint64_t gpa, uint64_t value) { put(gpa, value, 4); }
static void put64(uint64_t gpa, uint64_t value) { put(gpa, value, 8); }

static void reset_ram(void) { memset(&ram, 0, sizeof ram); }

struct outcome {
    enum walk_result result;
    uint64_t phys;
    uint32_t error;
};

static struct outcome walk(const struct guest_paging *p, uint64_t linear, unsigned access) {
    struct outcome o = { WALK_OK, 0xDEAD, 0xDEAD };
    o.result = guest_linear_to_phys(p, ram_read, &ram, linear, access, &o.phys, &o.error);
    return o;
}

#define CHECK_WALK(p, linear, access, expected_result, expected_phys_or_error)                                         \
    do {                                                                                                               \
        struct outcome o_ = walk(p, linear, access);                                                                   \
        CHECK_EQ_U64(o_.result, expected_result);                                                                      \
        if ((expected_result) == WALK_OK) {                                                                            \
            CHECK_EQ_U64(o_.phys, expected_phys_or_error);                                                             \
            CHECK_EQ_U64(o_.error, 0);                                                                                 \
        } else {                                                                                                       \
            CHECK_EQ_U64(o_.error, expected_phys_or_error);                                                            \
        }                                                                                                              \
    } while (0)

/* --- paging off ------------------------------------------------------------------------- */

static void paging_off_is_identity_within_4g(void) {
    reset_ram();
    struct guest_paging p = { .cr0 = 0x11, .max_phys_addr = 40 };
    CHECK_WALK(&p, 0x7C00, 0, WALK_OK, 0x7C00);
    CHECK_WALK(&p, 0x123456789ull, W | U | F, WALK_OK, 0x23456789);
    CHECK_EQ_U64(ram.reads, 0);
}

/* --- 32-bit paging: PD at 0x1000, PT at 0x2000 ------------------------------------------ */

static struct guest_paging paging32(uint64_t cr0_extra, uint64_t cr4, uint8_t max_phys_addr) {
    return (struct guest_paging){
        .cr0 = CR0_PG | 0x11 | cr0_extra, .cr3 = 0x1000, .cr4 = cr4, .max_phys_addr = max_phys_addr
    };
}

static void paging32_maps_4k_pages(void) {
    reset_ram();
    put32(0x1000 + 1 * 4, 0x2000 | P | RW | US);
    put32(0x2000 + 3 * 4, 0xABC000 | P | RW | US);
    put32(0x2000 + 4 * 4, 0xFFFFF000 | P | RW | US);
    struct guest_paging p = paging32(CR0_WP, 0, 36);
    CHECK_WALK(&p, 0x00403123, 0, WALK_OK, 0xABC123);
    CHECK_WALK(&p, 0x00403FFF, W | U, WALK_OK, 0xABCFFF);
    CHECK_WALK(&p, 0x00404000, F, WALK_OK, 0xFFFFF000);
    CHECK_WALK(&p, 0xF00403123ull, 0, WALK_OK, 0xABC123); /* linear truncated to 32 bits */
}

static void paging32_4m_pages_need_cr4_pse(void) {
    reset_ram();
    put32(0x1000 + 2 * 4, 0x0C000000 | P | RW | PS);
    struct guest_paging with_pse = paging32(0, CR4_PSE, 36);
    CHECK_WALK(&with_pse, 0x00812345, W, WALK_OK, 0x0C012345);
    CHECK_WALK(&with_pse, 0x00BFFFFF, 0, WALK_OK, 0x0C3FFFFF);
    /* Without PSE the same PDE points to a page table at 0x0C000000, outside the fake RAM. */
    struct guest_paging without_pse = paging32(0, 0, 36);
    CHECK_WALK(&without_pse, 0x00812345, 0, WALK_READ_FAILED, 0);
}

static void paging32_pse36_high_bits_and_reserved_bits(void) {
    reset_ram();
    put32(0x1000 + 2 * 4, 0x0C000000 | (0x05 << 13) | P | PS);
    put32(0x1000 + 3 * 4, 0x0C000000 | (1 << 21) | P | PS);
    put32(0x1000 + 4 * 4, 0x0C000000 | (0x10 << 13) | P | PS);
    put32(0x1000 + 5 * 4, 0x0C000000 | (0x08 << 13) | P | PS);
    struct guest_paging p40 = paging32(0, CR4_PSE, 40), p36 = paging32(0, CR4_PSE, 36);
    CHECK_WALK(&p40, 0x00812345, 0, WALK_OK, 0x50C012345ull);
    CHECK_WALK(&p40, 0x00C12345, 0, WALK_RESERVED_BIT, 0x9); /* bit 21 */
    CHECK_WALK(&p40, 0x01012345, W, WALK_OK, 0x100C012345ull);
    CHECK_WALK(&p36, 0x01012345, W, WALK_RESERVED_BIT, 0xB); /* bit 17 = phys bit 36 */
    CHECK_WALK(&p36, 0x01412345, 0, WALK_OK, 0x80C012345ull);
}

static void paging32_not_present_error_codes(void) {
    reset_ram();
    put32(0x1000 + 1 * 4, 0x2000 | P | RW | US);
    struct guest_paging p = paging32(0, 0, 36);
    CHECK_WALK(&p, 0x00000123, 0, WALK_NOT_PRESENT, 0x0); /* PDE */
    CHECK_WALK(&p, 0x00000123, W | U, WALK_NOT_PRESENT, 0x6);
    CHECK_WALK(&p, 0x00403123, W, WALK_NOT_PRESENT, 0x2);     /* PTE */
    CHECK_WALK(&p, 0x00403123, F | U, WALK_NOT_PRESENT, 0x4); /* no I bit without NX */
}

static void write_to_read_only_page_depends_on_cr0_wp(void) {
    reset_ram();
    put32(0x1000 + 1 * 4, 0x2000 | P | RW | US);
    put32(0x2000 + 3 * 4, 0xABC000 | P | US); /* read-only PTE */
    put32(0x1000 + 2 * 4, 0x3000 | P | US);   /* read-only PDE */
    put32(0x3000 + 0 * 4, 0xDEF000 | P | RW | US);
    struct guest_paging wp_off = paging32(0, 0, 36), wp_on = paging32(CR0_WP, 0, 36);
    CHECK_WALK(&wp_off, 0x00403010, W, WALK_OK, 0xABC010);
    CHECK_WALK(&wp_on, 0x00403010, W, WALK_PROTECTION, 0x3);
    CHECK_WALK(&wp_on, 0x00403010, 0, WALK_OK, 0xABC010);
    CHECK_WALK(&wp_off, 0x00403010, W | U, WALK_PROTECTION, 0x7); /* users never write */
    CHECK_WALK(&wp_off, 0x00800010, W, WALK_OK, 0xDEF010);
    CHECK_WALK(&wp_on, 0x00800010, W, WALK_PROTECTION, 0x3); /* R/W=0 at the PDE */
}

static void user_access_to_supervisor_page_faults(void) {
    reset_ram();
    put32(0x1000 + 1 * 4, 0x2000 | P | RW); /* supervisor PDE */
    put32(0x2000 + 3 * 4, 0xABC000 | P | RW | US);
    struct guest_paging p = paging32(CR0_WP, 0, 36);
    CHECK_WALK(&p, 0x00403010, 0, WALK_OK, 0xABC010);
    CHECK_WALK(&p, 0x00403010, W, WALK_OK, 0xABC010);
    CHECK_WALK(&p, 0x00403010, U, WALK_PROTECTION, 0x5);
    CHECK_WALK(&p, 0x00403010, U | W, WALK_PROTECTION, 0x7);
}

/* --- PAE: PDPT at 0x3020 (32-byte aligned), PD at 0x4000, PT at 0x5000 ------------------ */

static struct guest_paging paging_pae(uint64_t efer, uint8_t max_phys_addr) {
    return (struct guest_paging){
        .cr0 = CR0_PG | CR0_WP | 0x11, .cr3 = 0x3020, .cr4 = CR4_PAE, .efer = efer, .max_phys_addr = max_phys_addr
    };
}
#define PAE_LINEAR(pdpt, pd, pt, offset)                                                                               \
    (((uint64_t)(pdpt) << 30) | ((uint64_t)(pd) << 21) | ((uint64_t)(pt) << 12) | (offset))

static void build_pae_tables(void) {
    reset_ram();
    put64(0x3020 + 1 * 8, 0x4000 | P);
    put64(0x4000 + 5 * 8, 0x5000 | P | RW | US);
    put64(0x5000 + 7 * 8, 0x12345000 | P | RW | US);
    put64(0x4000 + 6 * 8, 0x7FE00000 | P | RW | PS);
}

static void pae_maps_4k_and_2m_pages(void) {
    build_pae_tables();
    struct guest_paging p = paging_pae(0, 36);
    CHECK_WALK(&p, PAE_LINEAR(1, 5, 7, 0x89A), W | U, WALK_OK, 0x1234589A);
    CHECK_WALK(&p, PAE_LINEAR(1, 6, 0, 0x12345), W, WALK_OK, 0x7FE12345);
    CHECK_WALK(&p, PAE_LINEAR(1, 6, 0x1FF, 0xFFF), 0, WALK_OK, 0x7FFFFFFF);
    CHECK_WALK(&p, PAE_LINEAR(1, 6, 0, 0), U, WALK_PROTECTION, 0x5);
    CHECK_WALK(&p, PAE_LINEAR(0, 5, 7, 0), 0, WALK_NOT_PRESENT, 0x0); /* PDPTE 0 */
    CHECK_WALK(&p, PAE_LINEAR(1, 4, 7, 0), W, WALK_NOT_PRESENT, 0x2); /* PDE */
    CHECK_WALK(&p, PAE_LINEAR(1, 5, 8, 0), U, WALK_NOT_PRESENT, 0x4); /* PTE */
    put64(0x4000 + 6 * 8, 0x7FE00000 | (1 << 13) | P | RW | PS);
    CHECK_WALK(&p, PAE_LINEAR(1, 6, 0, 0), 0, WALK_RESERVED_BIT, 0x9);
}

static void pae_pdpte_reserved_bits(void) {
    build_pae_tables();
    struct guest_paging p = paging_pae(EFER_NXE, 36);
    put64(0x3020 + 1 * 8, 0x4000 | P | RW); /* R/W is reserved here */
    CHECK_WALK(&p, PAE_LINEAR(1, 5, 7, 0), 0, WALK_RESERVED_BIT, 0x9);
    put64(0x3020 + 1 * 8, 0x4000 | P | NX); /* so is NX */
    CHECK_WALK(&p, PAE_LINEAR(1, 5, 7, 0), W, WALK_RESERVED_BIT, 0xB);
    put64(0x3020 + 1 * 8, 0x4000 | P | PS);
    CHECK_WALK(&p, PAE_LINEAR(1, 5, 7, 0), 0, WALK_RESERVED_BIT, 0x9);
    put64(0x3020 + 1 * 8, 0x4000 | P | (1ull << 36));
    CHECK_WALK(&p, PAE_LINEAR(1, 5, 7, 0), 0, WALK_RESERVED_BIT, 0x9);
}

static void pae_no_execute_needs_efer_nxe(void) {
    build_pae_tables();
    put64(0x5000 + 7 * 8, 0x12345000 | P | RW | US | NX);
    struct guest_paging nxe = paging_pae(EFER_NXE, 36), no_nxe = paging_pae(0, 36);
    CHECK_WALK(&nxe, PAE_LINEAR(1, 5, 7, 0x10), 0, WALK_OK, 0x12345010);
    CHECK_WALK(&nxe, PAE_LINEAR(1, 5, 7, 0x10), F, WALK_PROTECTION, 0x11);
    CHECK_WALK(&nxe, PAE_LINEAR(1, 5, 7, 0x10), F | U, WALK_PROTECTION, 0x15);
    CHECK_WALK(&nxe, PAE_LINEAR(1, 5, 8, 0x10), F, WALK_NOT_PRESENT, 0x10); /* I bit with NX */
    CHECK_WALK(&no_nxe, PAE_LINEAR(1, 5, 7, 0x10), 0, WALK_RESERVED_BIT, 0x9);
    CHECK_WALK(&no_nxe, PAE_LINEAR(1, 5, 7, 0x10), F, WALK_RESERVED_BIT, 0x9);
}

static void pae_reserved_bits_above_max_phys_addr(void) {
    build_pae_tables();
    struct guest_paging p36 = paging_pae(0, 36), p40 = paging_pae(0, 40);
    put64(0x5000 + 7 * 8, 0x12345000 | (1ull << 36) | P | RW);
    CHECK_WALK(&p36, PAE_LINEAR(1, 5, 7, 0), 0, WALK_RESERVED_BIT, 0x9);
    CHECK_WALK(&p40, PAE_LINEAR(1, 5, 7, 0), 0, WALK_OK, 0x1012345000ull);
    put64(0x5000 + 7 * 8, 0x12345000 | (1ull << 52) | P | RW); /* reserved in PAE, not in long mode */
    CHECK_WALK(&p40, PAE_LINEAR(1, 5, 7, 0), 0, WALK_RESERVED_BIT, 0x9);
}

/* --- long mode: PML4 0x10000, PDPT 0x11000, PD 0x12000, PT 0x13000 ---------------------- */

#define LINEAR(pml4, pdpt, pd, pt, offset)                                                                             \
    (((uint64_t)(pml4) << 39) | ((uint64_t)(pdpt) << 30) | ((uint64_t)(pd) << 21) | ((uint64_t)(pt) << 12) | (offset))
#define PML4E(i) (0x10000 + (i)*8)
#define PDPTE(i) (0x11000 + (i)*8)
#define PDE(i) (0x12000 + (i)*8)
#define PTE(i) (0x13000 + (i)*8)

static struct guest_paging paging_long(uint64_t efer_extra) {
    return (struct guest_paging){ .cr0 = CR0_PG | CR0_WP | 0x11,
                                  .cr3 = 0x10000 | 0x18,
                                  .cr4 = CR4_PAE,
                                  .efer = EFER_LME | EFER_LMA | efer_extra,
                                  .max_phys_addr = 40 };
}

static void build_long_tables(void) {
    reset_ram();
    put64(PML4E(3), 0x11000 | P | RW | US);
    put64(PDPTE(4), 0x12000 | P | RW | US);
    put64(PDE(5), 0x13000 | P | RW | US);
    put64(PTE(6), 0xABCDE000 | P | RW | US);
    put64(PTE(7), 0x101000 | P | RW | US);
    put64(PDE(8), 0x40000000 | P | RW | PS);
    put64(PDE(9), 0x80000000 | P | RW | PS);
    put64(PDPTE(10), 0x1C0000000ull | P | RW | PS);
}

static void long_mode_maps_4k_2m_and_1g_pages(void) {
    build_long_tables();
    struct guest_paging p = paging_long(EFER_NXE);
    CHECK_WALK(&p, LINEAR(3, 4, 5, 6, 0x789), W | U, WALK_OK, 0xABCDE789);
    CHECK_WALK(&p, LINEAR(3, 4, 8, 0x12, 0x345), W, WALK_OK, 0x40012345);
    CHECK_WALK(&p, LINEAR(3, 4, 8, 0x1FF, 0xFFF), F, WALK_OK, 0x401FFFFF);
    CHECK_WALK(&p, LINEAR(3, 10, 0x1A, 0x45, 0x678), 0, WALK_OK, 0x1C3445678ull);
    CHECK_WALK(&p, LINEAR(3, 10, 0x1FF, 0x1FF, 0xFFF), 0, WALK_OK, 0x1FFFFFFFFull);
    CHECK_WALK(&p, LINEAR(3, 10, 0, 0, 0), U, WALK_PROTECTION, 0x5);
}

static void long_mode_not_present_at_each_level(void) {
    struct guest_paging p = paging_long(EFER_NXE);
    const uint64_t levels[4] = { PML4E(3), PDPTE(4), PDE(5), PTE(6) };
    for (int level = 0; level < 4; level++) {
        build_long_tables();
        put64(levels[level], 0x13000 | RW | US); /* P clear, other bits ignored */
        CHECK_WALK(&p, LINEAR(3, 4, 5, 6, 0), W | U, WALK_NOT_PRESENT, 0x6);
        CHECK_WALK(&p, LINEAR(3, 4, 5, 6, 0), F, WALK_NOT_PRESENT, 0x10);
    }
}

static void long_mode_reserved_bits(void) {
    struct guest_paging p = paging_long(EFER_NXE), no_nxe = paging_long(0);
    build_long_tables();
    put64(PML4E(3), 0x11000 | P | RW | US | PS);
    CHECK_WALK(&p, LINEAR(3, 4, 5, 6, 0), 0, WALK_RESERVED_BIT, 0x9);
    build_long_tables();
    put64(PDPTE(10), 0x1C0000000ull | (1 << 13) | P | PS);
    CHECK_WALK(&p, LINEAR(3, 10, 0, 0, 0), U, WALK_RESERVED_BIT, 0xD);
    put64(PDPTE(10), 0x1C0000000ull | (1 << 25) | P | PS); /* an address bit in a 2 MiB PDE */
    CHECK_WALK(&p, LINEAR(3, 10, 0, 0, 0), 0, WALK_RESERVED_BIT, 0x9);
    put64(PDE(8), 0x40000000 | (1 << 20) | P | PS);
    CHECK_WALK(&p, LINEAR(3, 4, 8, 0, 0), 0, WALK_RESERVED_BIT, 0x9);
    put64(PTE(6), 0xABCDE000 | (1ull << 45) | P);
    CHECK_WALK(&p, LINEAR(3, 4, 5, 6, 0), 0, WALK_RESERVED_BIT, 0x9);
    put64(PTE(6), 0xABCDE000 | PS | (0x7FFull << 52) | P); /* PAT and ignored high bits */
    CHECK_WALK(&p, LINEAR(3, 4, 5, 6, 0), 0, WALK_OK, 0xABCDE000);
    put64(PTE(6), 0xABCDE000 | NX | P);
    CHECK_WALK(&no_nxe, LINEAR(3, 4, 5, 6, 0), 0, WALK_RESERVED_BIT, 0x9);
    CHECK_WALK(&p, LINEAR(3, 4, 5, 6, 0), 0, WALK_OK, 0xABCDE000);
}

static void long_mode_rights_combine_across_levels(void) {
    struct guest_paging p = paging_long(EFER_NXE);
    build_long_tables();
    put64(PDPTE(4), 0x12000 | P | RW | US | NX);
    CHECK_WALK(&p, LINEAR(3, 4, 5, 6, 0), F, WALK_PROTECTION, 0x11);
    CHECK_WALK(&p, LINEAR(3, 4, 5, 6, 0), F | U, WALK_PROTECTION, 0x15);
    CHECK_WALK(&p, LINEAR(3, 4, 5, 6, 0), W | U, WALK_OK, 0xABCDE000);
    build_long_tables();
    put64(PML4E(3), 0x11000 | P | RW);
    CHECK_WALK(&p, LINEAR(3, 4, 5, 6, 0), U, WALK_PROTECTION, 0x5);
    CHECK_WALK(&p, LINEAR(3, 4, 5, 6, 0), W, WALK_OK, 0xABCDE000);
    build_long_tables();
    put64(PDE(5), 0x13000 | P | US);
    CHECK_WALK(&p, LINEAR(3, 4, 5, 6, 0), W, WALK_PROTECTION, 0x3);
    p.cr0 &= ~CR0_WP;
    CHECK_WALK(&p, LINEAR(3, 4, 5, 6, 0), W, WALK_OK, 0xABCDE000);
}

static void long_mode_refuses_non_canonical_la57_and_bad_max_phys_addr(void) {
    build_long_tables();
    struct guest_paging p = paging_long(0);
    CHECK_WALK(&p, 0x0000800000000000ull, 0, WALK_NON_CANONICAL, 0);
    CHECK_WALK(&p, 0xFFFF7FFFFFFFFFFFull, 0, WALK_NON_CANONICAL, 0);
    CHECK_WALK(&p, 0xFFFF800000000000ull, 0, WALK_NOT_PRESENT, 0); /* canonical: PML4E 256 */
    p.cr4 |= CR4_LA57;
    CHECK_WALK(&p, LINEAR(3, 4, 5, 6, 0), 0, WALK_UNSUPPORTED, 0);
    p = paging_long(0);
    p.max_phys_addr = 0;
    CHECK_WALK(&p, LINEAR(3, 4, 5, 6, 0), 0, WALK_UNSUPPORTED, 0);
}

static void unreadable_page_table_is_a_read_failure(void) {
    build_long_tables();
    struct guest_paging p = paging_long(0);
    p.cr3 = 0x80000000;
    CHECK_WALK(&p, LINEAR(3, 4, 5, 6, 0), 0, WALK_READ_FAILED, 0);
    put64(PDE(5), 0x7FFFF000 | P | RW);
    p = paging_long(0);
    CHECK_WALK(&p, LINEAR(3, 4, 5, 6, 0), 0, WALK_READ_FAILED, 0);
}

static void segment_linear_wraps_offset_to_address_size(void) {
    CHECK_EQ_U64(segment_linear(0xF0000, 0x1FFFF, 2), 0xFFFFF);
    CHECK_EQ_U64(segment_linear(0xFFFF0, 0x20, 2), 0x100010); /* A20 is the guest's business */
    CHECK_EQ_U64(segment_linear(0x10000, 0x100000010ull, 4), 0x10010);
    CHECK_EQ_U64(segment_linear(0x7FFF00000000ull, 0xFFFFFFFF00000010ull, 8), 0x7FFE00000010ull);
    CHECK_EQ_U64(segment_linear(0x7FFF00000000ull, 0xFFFFFFFF00000010ull, 4), 0x7FFF00000010ull);
}

/* --- chunking ----------------------------------------------------------------------------- */

struct chunk_log {
    struct {
        uint64_t gpa;
        size_t offset, length;
    } chunks[8];
    size_t count;
    size_t refuse_at; /* the callback returns false on this call number (1-based), 0: never */
};

static bool log_chunk(void *ctx, uint64_t gpa, size_t offset, size_t length) {
    struct chunk_log *log = ctx;
    if (log->count < 8) {
        log->chunks[log->count].gpa = gpa;
        log->chunks[log->count].offset = offset;
        log->chunks[log->count].length = length;
    }
    log->count++;
    return log->count != log->refuse_at;
}

static enum walk_result chunks(const struct guest_paging *p, uint64_t linear, size_t length, unsigned access,
                               struct chunk_log *log, uint64_t *fault, uint32_t *error) {
    return guest_linear_chunks(p, ram_read, &ram, linear, length, access, log_chunk, log, fault, error);
}

#define CHECK_CHUNK(log, i, gpa_, offset_, length_)                                                                    \
    do {                                                                                                               \
        CHECK_EQ_U64((log).chunks[i].gpa, gpa_);                                                                       \
        CHECK_EQ_U64((log).chunks[i].offset, offset_);                                                                 \
        CHECK_EQ_U64((log).chunks[i].length, length_);                                                                 \
    } while (0)

static void chunks_across_a_4k_boundary(void) {
    build_long_tables();
    put64(PTE(6), 0x100000 | P | RW);
    struct guest_paging p = paging_long(0);
    uint64_t fault = 0;
    uint32_t error = 0;
    struct chunk_log log = { 0 };
    CHECK_EQ_U64(chunks(&p, LINEAR(3, 4, 5, 6, 0xFF0), 0x20, W, &log, &fault, &error), WALK_OK);
    CHECK_EQ_U64(log.count, 1); /* PTE 7 maps 0x101000: contiguous */
    CHECK_CHUNK(log, 0, 0x100FF0, 0, 0x20);
    put64(PTE(7), 0x200000 | P | RW);
    log = (struct chunk_log){ 0 };
    CHECK_EQ_U64(chunks(&p, LINEAR(3, 4, 5, 6, 0xFF0), 0x20, W, &log, &fault, &error), WALK_OK);
    CHECK_EQ_U64(log.count, 2);
    CHECK_CHUNK(log, 0, 0x100FF0, 0, 0x10);
    CHECK_CHUNK(log, 1, 0x200000, 0x10, 0x10);
    log = (struct chunk_log){ 0 };
    CHECK_EQ_U64(chunks(&p, LINEAR(3, 4, 5, 6, 0x200), 0x200, W, &log, &fault, &error), WALK_OK);
    CHECK_EQ_U64(log.count, 1);
    CHECK_CHUNK(log, 0, 0x100200, 0, 0x200);
}

static void chunks_across_a_2m_boundary(void) {
    build_long_tables();
    struct guest_paging p = paging_long(0);
    uint64_t fault = 0;
    uint32_t error = 0;
    struct chunk_log log = { 0 };
    uint64_t start = LINEAR(3, 4, 8, 0x1FF, 0xE00);
    CHECK_EQ_U64(chunks(&p, start, 0x2400, 0, &log, &fault, &error), WALK_OK);
    CHECK_EQ_U64(log.count, 2);
    CHECK_CHUNK(log, 0, 0x401FFE00, 0, 0x200);
    CHECK_CHUNK(log, 1, 0x80000000, 0x200, 0x2200);
    put64(PDE(9), 0x40200000 | P | RW | PS);
    log = (struct chunk_log){ 0 };
    CHECK_EQ_U64(chunks(&p, start, 0x2400, 0, &log, &fault, &error), WALK_OK);
    CHECK_EQ_U64(log.count, 1);
    CHECK_CHUNK(log, 0, 0x401FFE00, 0, 0x2400);
}

static void chunks_fault_before_any_transfer(void) {
    build_long_tables();
    put64(PTE(7), 0x101000 | P | US); /* read-only */
    struct guest_paging p = paging_long(0);
    uint64_t fault = 0;
    uint32_t error = 0;
    struct chunk_log log = { 0 };
    CHECK_EQ_U64(chunks(&p, LINEAR(3, 4, 5, 6, 0xFFE), 0x200, W | U, &log, &fault, &error), WALK_PROTECTION);
    CHECK_EQ_U64(log.count, 0);
    CHECK_EQ_U64(fault, LINEAR(3, 4, 5, 7, 0));
    CHECK_EQ_U64(error, 0x7);
    CHECK_EQ_U64(chunks(&p, LINEAR(3, 4, 5, 7, 0xFFE), 4, 0, &log, &fault, &error), WALK_NOT_PRESENT);
    CHECK_EQ_U64(fault, LINEAR(3, 4, 5, 8, 0));
    CHECK_EQ_U64(log.count, 0);
    put64(PTE(7), 0x200000 | P); /* pages 6 and 7 are two chunks; page 8 still faults */
    CHECK_EQ_U64(chunks(&p, LINEAR(3, 4, 5, 6, 0x800), 0x1A00, 0, &log, &fault, &error), WALK_NOT_PRESENT);
    CHECK_EQ_U64(fault, LINEAR(3, 4, 5, 8, 0));
    CHECK_EQ_U64(log.count, 0);
}

static void chunks_stop_when_the_callback_refuses(void) {
    build_long_tables();
    put64(PTE(7), 0x200000 | P | RW);
    struct guest_paging p = paging_long(0);
    uint64_t fault = 0;
    uint32_t error = 0;
    struct chunk_log log = { .refuse_at = 1 };
    CHECK_EQ_U64(chunks(&p, LINEAR(3, 4, 5, 6, 0xFF0), 0x20, 0, &log, &fault, &error), WALK_ABORTED);
    CHECK_EQ_U64(log.count, 1);
    log = (struct chunk_log){ .refuse_at = 2 };
    CHECK_EQ_U64(chunks(&p, LINEAR(3, 4, 5, 6, 0xFF0), 0x20, 0, &log, &fault, &error), WALK_ABORTED);
    CHECK_EQ_U64(log.count, 2);
}

static void chunks_wrap_at_4g_outside_long_mode(void) {
    reset_ram();
    struct guest_paging p = { .cr0 = 0x11, .max_phys_addr = 40 };
    uint64_t fault = 0;
    uint32_t error = 0;
    struct chunk_log log = { 0 };
    CHECK_EQ_U64(chunks(&p, 0xFFFFFFF8, 16, 0, &log, &fault, &error), WALK_OK);
    CHECK_EQ_U64(log.count, 2);
    CHECK_CHUNK(log, 0, 0xFFFFFFF8, 0, 8);
    CHECK_CHUNK(log, 1, 0, 8, 8);
    log = (struct chunk_log){ 0 };
    CHECK_EQ_U64(chunks(&p, 0x1000, 0, 0, &log, &fault, &error), WALK_OK);
    CHECK_EQ_U64(log.count, 0);
}

int main(void) {
    TEST(paging_off_is_identity_within_4g);
    TEST(paging32_maps_4k_pages);
    TEST(paging32_4m_pages_need_cr4_pse);
    TEST(paging32_pse36_high_bits_and_reserved_bits);
    TEST(paging32_not_present_error_codes);
    TEST(write_to_read_only_page_depends_on_cr0_wp);
    TEST(user_access_to_supervisor_page_faults);
    TEST(pae_maps_4k_and_2m_pages);
    TEST(pae_pdpte_reserved_bits);
    TEST(pae_no_execute_needs_efer_nxe);
    TEST(pae_reserved_bits_above_max_phys_addr);
    TEST(long_mode_maps_4k_2m_and_1g_pages);
    TEST(long_mode_not_present_at_each_level);
    TEST(long_mode_reserved_bits);
    TEST(long_mode_rights_combine_across_levels);
    TEST(long_mode_refuses_non_canonical_la57_and_bad_max_phys_addr);
    TEST(unreadable_page_table_is_a_read_failure);
    TEST(segment_linear_wraps_offset_to_address_size);
    TEST(chunks_across_a_4k_boundary);
    TEST(chunks_across_a_2m_boundary);
    TEST(chunks_fault_before_any_transfer);
    TEST(chunks_stop_when_the_callback_refuses);
    TEST(chunks_wrap_at_4g_outside_long_mode);
    return tap_finish();
}
