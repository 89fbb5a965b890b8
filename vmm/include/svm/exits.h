/* SPDX-License-Identifier: MIT */
/* #VMEXIT dispatch: one table row per exit code (src/svm/exits.c). */
#ifndef SVM_EXITS_H
#define SVM_EXITS_H

#include <stdint.h>

#include "hv/cpu_backend.h"

typedef void (*svm_exit_handler)(struct vcpu *v);

struct svm_exit_kind {
    uint64_t code;
    const char *name;
    svm_exit_handler handle;
};

#define SVM_EXIT_KIND_MAX 16

/* The rows (src/svm/exit_table.c). */
extern const struct svm_exit_kind svm_exit_kinds[];
extern const size_t svm_exit_kind_count;

/* The row for `code`, or NULL for an exit the hypervisor never asked for. Pure table lookup. */
const struct svm_exit_kind *svm_exit_lookup(uint64_t code);

/* Handles the exit recorded in the vcpu's VMCB. */
void svm_handle_exit(struct vcpu *v);

#endif
