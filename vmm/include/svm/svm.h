/* SPDX-License-Identifier: MIT */
/* The AMD SVM backend: CPU support checks, enabling SVM, and running the guest. */
#ifndef SVM_SVM_H
#define SVM_SVM_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/vcpu.h"
#include "svm/vmcb.h"

/* Returns NULL when this CPU can run the hypervisor, else a sentence saying why not and what
 * to do. */
const char *svm_unsupported_reason(void);

/* Sets EFER.SVME and the host save area. */
void svm_enable(void);

/* Where the guest starts: real mode at segment:offset, as after the BIOS. */
struct guest_start {
    uint16_t cs_selector;
    uint16_t ip;
    uint64_t npt_root_pa;
};

struct svm_vcpu {
    struct vmcb *vmcb;
    uint64_t vmcb_pa;
    struct vmcb *host_vmcb; /* VMSAVE/VMLOAD area for the host's FS/GS/TR state */
    uint64_t host_vmcb_pa;
    uint8_t *msr_bitmap;
    uint8_t *io_bitmap;    /* one bit per port: set = exit */
    uint8_t max_phys_addr; /* CPUID 8000_0008h EAX[7:0], for guest page walks */
};

/* Builds the one virtual CPU in its reset-like real-mode state. */
struct vcpu *svm_vcpu_create(const struct guest_start *start);

/* Runs the guest forever, handling exits. */
__attribute__((noreturn)) void svm_vcpu_run(struct vcpu *vcpu);

/* Low-level world switch (src/svm/vmrun.S): loads the guest GPRs, VMRUNs, saves them back. */
void svm_world_switch(struct vcpu_gprs *gprs, uint64_t vmcb_pa, uint64_t host_vmcb_pa);

/* The SVM VMCB of a vcpu, for SVM exit handlers. */
static inline struct vmcb *svm_vmcb(const struct vcpu *v) { return ((struct svm_vcpu *)v->arch)->vmcb; }

/* Makes panic() print this vcpu's VMCB state (src/svm/panic_dump.c). */
void svm_panic_dump_attach(struct vcpu *v);

/* Intercepts an MSR's reads and/or writes in the MSR permission bitmap. */
void svm_intercept_msr(struct vcpu *v, uint32_t msr, bool reads, bool writes);

#endif
