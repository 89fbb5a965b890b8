/* SPDX-License-Identifier: MIT */
/* The AMD SVM backend's own parts (hv/cpu_backend.h is what it provides to the rest). */
#ifndef SVM_SVM_H
#define SVM_SVM_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/cpu_backend.h"
#include "svm/vmcb.h"

struct svm_vcpu {
    struct vmcb *vmcb;
    uint64_t vmcb_pa;
    struct vmcb *host_vmcb; /* VMSAVE/VMLOAD area for the host's FS/GS/TR state */
    uint64_t host_vmcb_pa;
    uint8_t *msr_bitmap;
    uint8_t *io_bitmap;    /* one bit per port: set = exit */
    uint8_t max_phys_addr; /* CPUID 8000_0008h EAX[7:0], for guest page walks */
};

/* Low-level world switch (src/svm/vmrun.S): loads the guest GPRs, VMRUNs, saves them back. */
void svm_world_switch(struct vcpu_gprs *gprs, uint64_t vmcb_pa, uint64_t host_vmcb_pa);

/* The SVM VMCB of a vcpu, for SVM exit handlers. */
static inline struct vmcb *svm_vmcb(const struct vcpu *v) { return ((struct svm_vcpu *)v->arch)->vmcb; }

/* Makes panic() print this vcpu's VMCB state (src/svm/panic_dump.c). */
void svm_panic_dump_attach(struct vcpu *v);

/* Intercepts an MSR's reads and/or writes in the MSR permission bitmap. */
void svm_intercept_msr(struct vcpu *v, uint32_t msr, bool reads, bool writes);

#endif
