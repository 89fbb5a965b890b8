// SPDX-License-Identifier: MIT
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { machineDefaults, type Accel, type CpuNeeds } from './spec.js';

/** What decides whether and how a PC can run under KVM here: read from /sys and /proc once. */
export interface HostKvm {
  /** The hardware-virtualisation module loaded, if any. */
  module: 'kvm_intel' | 'kvm_amd' | undefined;
  /** Only a PVM-style module (kvm_pvm) is loaded: it accepts KVM_CREATE_VM but hangs a normal guest. */
  pvmOnly: boolean;
  devKvmUsable: boolean;
  /** The CPU reports vmx or svm. */
  virtualizationFlag: boolean;
  /** The module's `nested` parameter is on: a guest may run its own hypervisor under KVM. */
  nested: boolean;
}

const readParameter = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').trim() : '');

export function readHostKvm(): HostKvm {
  const module = (['kvm_intel', 'kvm_amd'] as const).find((m) => existsSync(`/sys/module/${m}`));
  let devKvmUsable = true;
  try {
    accessSync('/dev/kvm', constants.R_OK | constants.W_OK);
  } catch {
    devKvmUsable = false;
  }
  return {
    module,
    pvmOnly: module === undefined && existsSync('/sys/module/kvm_pvm'),
    devKvmUsable,
    virtualizationFlag: /\b(vmx|svm)\b/.test(readFileSync('/proc/cpuinfo', 'utf8')),
    // Y/N on kvm_intel, 1/0 on kvm_amd
    nested: module !== undefined && /^(1|Y)$/.test(readParameter(`/sys/module/${module}/parameters/nested`)),
  };
}

/**
 * KVM counts as usable only with the hardware-virtualisation module (kvm_intel/kvm_amd) loaded and
 * /dev/kvm read-writable. Hosts with only a PVM-style module (kvm_pvm) accept KVM_CREATE_VM but
 * hang a normal Linux guest, so they get TCG.
 */
export function detectKvm(host: HostKvm = readHostKvm()): { usable: boolean; reason: string } {
  if (host.module === undefined) {
    const pvm = host.pvmOnly ? ' (only kvm_pvm is loaded, which cannot run our guests)' : '';
    return { usable: false, reason: `no kvm_intel/kvm_amd module${pvm}` };
  }
  if (!host.devKvmUsable)
    return { usable: false, reason: '/dev/kvm is not read-writable by this user (add yourself to group kvm)' };
  if (!host.virtualizationFlag) return { usable: false, reason: 'the CPU reports neither vmx nor svm' };
  return { usable: true, reason: `${host.module} loaded and /dev/kvm usable` };
}

/** How a PC is emulated: the accelerator, the CPU model QEMU gets, and why. */
export interface Acceleration {
  accel: Accel;
  cpu: string;
  reason: string;
}

/**
 * The accelerator for a PC with `needs` ('auto'): KVM where it works, and for a PC that runs a
 * hypervisor (ours, or the baseline's KVM) only where the host's KVM nests one, with `-cpu host`
 * so the PC's CPU has the host's virtualisation extensions. Our hypervisor has only an SVM
 * backend, so on an Intel host its PCs stay on TCG, whose CPU model emulates SVM. Pure.
 */
export function accelerationFor(needs: CpuNeeds, host: HostKvm, cpu: string = machineDefaults.cpu): Acceleration {
  const kvm = detectKvm(host);
  const tcg = (reason: string): Acceleration => ({ accel: 'tcg', cpu, reason });
  if (!kvm.usable) return tcg(`TCG: ${kvm.reason}`);
  if (needs === 'plain') return { accel: 'kvm', cpu, reason: `KVM: ${kvm.reason}` };
  const option = host.module === 'kvm_amd' ? 'kvm_amd nested=1' : 'kvm_intel nested=Y';
  if (!host.nested)
    return tcg(`TCG: ${host.module} does not nest hypervisors (load it with ${option} for KVM with -cpu host)`);
  if (needs === 'svm' && host.module === 'kvm_intel')
    return tcg('TCG: an Intel host, and our hypervisor has only an AMD SVM backend (no VT-x yet), which TCG emulates');
  return { accel: 'kvm', cpu: 'host', reason: `KVM with -cpu host: ${host.module} nests hypervisors` };
}

/** The accelerator a machine gets: 'auto' decides by accelerationFor; 'tcg' and 'kvm' are taken as asked. */
export function resolveAcceleration(
  requested: Accel | 'auto' | undefined,
  needs: CpuNeeds,
  cpu: string = machineDefaults.cpu,
  host: () => HostKvm = readHostKvm,
): Acceleration {
  if (requested === 'kvm') {
    const kvm = detectKvm(host());
    if (!kvm.usable)
      throw new Error(`accel 'kvm' requested but KVM is not usable here: ${kvm.reason}. Use accel 'tcg' or 'auto'.`);
    return { accel: 'kvm', cpu, reason: 'KVM, as asked' };
  }
  if (requested === 'auto') return accelerationFor(needs, host(), cpu);
  return { accel: 'tcg', cpu, reason: 'TCG, as asked' };
}
