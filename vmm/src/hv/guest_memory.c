/* SPDX-License-Identifier: MIT */
#include "hv/guest_memory.h"

#include "lib/string.h"
#include "mm/hv_region.h"
#include "mm/pages.h"

static bool is_guest_range(uint64_t gpa, size_t len) {
    return len <= hv_region.identity_limit && gpa <= hv_region.identity_limit - len && !hv_region_overlaps(gpa, len);
}

bool guest_phys_read(uint64_t gpa, void *buf, size_t len) {
    if (!is_guest_range(gpa, len)) return false;
    memcpy(buf, phys_to_virt(gpa), len);
    return true;
}

bool guest_phys_write(uint64_t gpa, const void *buf, size_t len) {
    if (!is_guest_range(gpa, len)) return false;
    memcpy(phys_to_virt(gpa), buf, len);
    return true;
}

static bool read_for_walker(void *ctx, uint64_t gpa, void *buf, size_t len) {
    (void)ctx;
    return guest_phys_read(gpa, buf, len);
}

/* Copies page by page: consecutive linear pages need not be physically consecutive. */
static bool linear_copy(const struct vcpu *v, uint64_t linear, uint8_t *buf, size_t len, bool write) {
    struct guest_paging paging;
    vcpu_paging(v, &paging);
    while (len) {
        uint64_t pa;
        uint32_t fault;
        if (guest_linear_to_phys(&paging, read_for_walker, 0, linear, write ? GUEST_ACCESS_WRITE : 0, &pa, &fault) !=
            WALK_OK)
            return false;
        size_t chunk = PAGE_SIZE - (linear & (PAGE_SIZE - 1));
        if (chunk > len) chunk = len;
        if (!(write ? guest_phys_write(pa, buf, chunk) : guest_phys_read(pa, buf, chunk))) return false;
        linear += chunk;
        buf += chunk;
        len -= chunk;
    }
    return true;
}

/* guest_linear_chunks callback: stops at the first chunk that is not guest memory. */
static bool count_guest_chunk(void *ctx, uint64_t gpa, size_t offset, size_t len) {
    if (!is_guest_range(gpa, len)) return false;
    *(size_t *)ctx = offset + len;
    return true;
}

size_t guest_linear_reachable(const struct vcpu *v, uint64_t linear, size_t len, bool write,
                              struct guest_fault *fault) {
    struct guest_paging paging;
    vcpu_paging(v, &paging);
    size_t reached = 0;
    uint64_t fault_linear = 0;
    uint32_t error = 0;
    enum walk_result r = guest_linear_chunks(&paging, read_for_walker, 0, linear, len, write ? GUEST_ACCESS_WRITE : 0,
                                             count_guest_chunk, &reached, &fault_linear, &error);
    if (r == WALK_OK) return len;
    if (r == WALK_ABORTED) {
        *fault = (struct guest_fault){ false, linear + reached, 0 };
        return reached;
    }
    bool page_fault = r == WALK_NOT_PRESENT || r == WALK_PROTECTION || r == WALK_RESERVED_BIT;
    *fault = (struct guest_fault){ page_fault, fault_linear, page_fault ? error : 0 };
    /* Nothing was moved before a fault: the bytes up to the faulting page are reachable (the
     * walker wraps linear addresses at 4 GiB outside long mode; len is far below that). */
    return page_fault ? (size_t)((fault_linear - linear) & 0xFFFFFFFFu) : 0;
}

bool guest_linear_read(const struct vcpu *v, uint64_t linear, void *buf, size_t len) {
    return linear_copy(v, linear, buf, len, false);
}

bool guest_linear_write(const struct vcpu *v, uint64_t linear, const void *buf, size_t len) {
    return linear_copy(v, linear, (uint8_t *)buf, len, true);
}

bool guest_fetch_insn(const struct vcpu *v, struct insn *out) {
    uint8_t bytes[INSN_MAX_LENGTH];
    uint64_t rip = vcpu_linear_rip(v);
    /* Fetch what is readable up to 15 bytes: the instruction may end just before an unmapped page. */
    size_t available = 0;
    while (available < sizeof bytes && guest_linear_read(v, rip + available, bytes + available, 1)) available++;
    return available && insn_decode(bytes, available, vcpu_code_mode(v), out) > 0;
}
