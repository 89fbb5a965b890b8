/* SPDX-License-Identifier: MIT */
/* What the VT-x backend would make of this Intel CPU, before that backend exists (issue 22): the
 * VMX capability MSRs read and logged, and judged by vmx_caps.c and the control part of
 * vmx/vmcs_setup.c, so that an emulated Intel CPU (Bochs) checks those pure parts against its
 * real values. */
#ifndef VMX_VMX_PROBE_H
#define VMX_VMX_PROBE_H

/* Call on an Intel CPU only. NULL when the backend's checks accept the CPU, else why not. */
const char *vmx_probe(void);

#endif
