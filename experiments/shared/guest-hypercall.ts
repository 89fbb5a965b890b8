// SPDX-License-Identifier: MIT
/** Function codes of the hypercall ABI the guest's hypercall.py does not name (vmm/include/hv/hypercall.h). */
export const HYPERCALL_LOG_EXIT_COUNTS = 0x564d0002;

/**
 * A guest shell command that makes one hypercall through guest/netboot-bench/hypercall.py (in the
 * image): a function it names, or a function code. It fails when the hypervisor answers an error.
 * The tool runs in user space: the hypervisor must run with `hypercalls=any`, else it dies of SIGILL.
 */
export function guestHypercall(call: 'AOE_STATS_RESET' | 'AOE_STATS_LOG' | number): string {
  const argument = typeof call === 'number' ? `0x${call.toString(16)}` : `hypercall.${call}`;
  return `python3 -c 'import sys; sys.path.insert(0, "/usr/local/lib/netboot-bench"); import hypercall; hypercall.call(${argument})'`;
}
