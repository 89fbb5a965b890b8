/* SPDX-License-Identifier: MIT */
#include "hv/host_msrs.h"

struct shadow {
    uint32_t msr;
    bool written; /* by the guest, at least once */
    uint64_t value;
};

static struct shadow shadows[HOST_MSRS_MAX];
static unsigned shadow_count;

static void add(uint32_t msr, uint64_t (*read)(uint32_t msr)) {
    if (shadow_count == HOST_MSRS_MAX) return;
    shadows[shadow_count++] = (struct shadow){ .msr = msr, .value = read(msr) };
}

unsigned host_msrs_init(const struct host_msr_presence *presence, uint64_t (*read)(uint32_t msr)) {
    shadow_count = 0;
    if (presence->mtrr) {
        for (unsigned i = 0; i < 2 * presence->variable_mtrrs && i < 2 * 16; i++) add(MSR_MTRR_PHYS_BASE0 + i, read);
        if (presence->fixed_mtrrs) {
            add(MSR_MTRR_FIX_64K, read);
            add(MSR_MTRR_FIX_16K_80000, read);
            add(MSR_MTRR_FIX_16K_A0000, read);
            for (uint32_t msr = MSR_MTRR_FIX_4K_C0000; msr < MSR_MTRR_FIX_4K_C0000 + 8; msr++) add(msr, read);
        }
        add(MSR_MTRR_DEF_TYPE, read);
    }
    if (presence->amd_memory_map) {
        add(MSR_AMD_SYSCFG, read);
        add(MSR_AMD_TOP_MEM, read);
        add(MSR_AMD_TOP_MEM2, read);
    }
    return shadow_count;
}

uint32_t host_msrs_at(unsigned index) { return index < shadow_count ? shadows[index].msr : 0; }

static int find(uint32_t msr) {
    for (unsigned i = 0; i < shadow_count; i++)
        if (shadows[i].msr == msr) return (int)i;
    return -1;
}

bool host_msrs_read(uint32_t msr, uint64_t *value) {
    int i = find(msr);
    if (i < 0) return false;
    *value = shadows[i].value;
    return true;
}

bool host_msrs_write(uint32_t msr, uint64_t value, bool *first_write) {
    int i = find(msr);
    if (i < 0) return false;
    *first_write = !shadows[i].written;
    shadows[i].written = true;
    shadows[i].value = value;
    return true;
}
