// SPDX-License-Identifier: MIT
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import type { Accel } from './spec.js';

/**
 * KVM counts as usable only with the hardware-virtualisation module (kvm_intel/kvm_amd) loaded and
 * /dev/kvm read-writable. Hosts with only a PVM-style module (kvm_pvm) accept KVM_CREATE_VM but
 * hang a normal Linux guest, so they get TCG.
 */
export function detectKvm(): { usable: boolean; reason: string } {
  const module = ['kvm_intel', 'kvm_amd'].find((m) => existsSync(`/sys/module/${m}`));
  if (module === undefined) {
    const pvm = existsSync('/sys/module/kvm_pvm') ? ' (only kvm_pvm is loaded, which cannot run our guests)' : '';
    return { usable: false, reason: `no kvm_intel/kvm_amd module${pvm}` };
  }
  try {
    accessSync('/dev/kvm', constants.R_OK | constants.W_OK);
  } catch {
    return { usable: false, reason: '/dev/kvm is not read-writable by this user (add yourself to group kvm)' };
  }
  const flags = readFileSync('/proc/cpuinfo', 'utf8');
  if (!/\b(vmx|svm)\b/.test(flags)) return { usable: false, reason: 'the CPU reports neither vmx nor svm' };
  return { usable: true, reason: `${module} loaded and /dev/kvm usable` };
}

export function resolveAccel(requested: Accel | 'auto' | undefined): Accel {
  if (requested === 'kvm') {
    const kvm = detectKvm();
    if (!kvm.usable)
      throw new Error(`accel 'kvm' requested but KVM is not usable here: ${kvm.reason}. Use accel 'tcg' or 'auto'.`);
    return 'kvm';
  }
  if (requested === 'auto') return detectKvm().usable ? 'kvm' : 'tcg';
  return 'tcg';
}
