/* SPDX-License-Identifier: MIT */
/* One handler per #VMEXIT reason the hypervisor intercepts (src/svm/exits.c). */
#ifndef SVM_EXIT_HANDLERS_H
#define SVM_EXIT_HANDLERS_H

#include "hv/cpu_backend.h"

void svm_exit_intr(struct vcpu *v); /* src/svm/interrupt_exits.c: while background work runs */
void svm_exit_hlt(struct vcpu *v);
/* Before each VMRUN: moves the oldest taken vector waiting for the guest into V_IRQ once it is free. */
void svm_deliver_waiting_interrupt(struct vcpu *v);
void svm_exit_cpuid(struct vcpu *v);
void svm_exit_msr(struct vcpu *v);
void svm_exit_ioio(struct vcpu *v);
void svm_exit_vmmcall(struct vcpu *v);
void svm_exit_shutdown(struct vcpu *v);
void svm_exit_npf(struct vcpu *v);
void svm_exit_svm_instruction(struct vcpu *v); /* VMRUN, VMLOAD, ...: #UD, as without SVM */

#endif
