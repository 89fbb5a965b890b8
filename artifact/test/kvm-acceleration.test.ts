// SPDX-License-Identifier: MIT
// Which accelerator and CPU model a PC gets on a host, by what it runs (artifact/testbed/kvm.ts).
// Only the TCG path runs on the build host (it has kvm_pvm only); the KVM paths are decided here
// from the host facts a KVM host would show.
import { describe, expect, it } from 'vitest';
import { accelerationFor, resolveAcceleration, type HostKvm } from '../testbed/kvm.js';
import { machineDefaults } from '../testbed/spec.js';

const kvmHost = (module: HostKvm['module'], nested: boolean): HostKvm => ({
  module,
  pvmOnly: false,
  devKvmUsable: true,
  virtualizationFlag: true,
  nested,
});

describe('the accelerator of a PC', () => {
  it('is TCG everywhere on a host without usable KVM, saying why', () => {
    const pvm: HostKvm = {
      module: undefined,
      pvmOnly: true,
      devKvmUsable: true,
      virtualizationFlag: false,
      nested: false,
    };
    for (const needs of ['plain', 'svm', 'virtualization'] as const)
      expect(accelerationFor(needs, pvm)).toEqual({
        accel: 'tcg',
        cpu: machineDefaults.cpu,
        reason: 'TCG: no kvm_intel/kvm_amd module (only kvm_pvm is loaded, which cannot run our guests)',
      });
    const noDevice = { ...kvmHost('kvm_amd', true), devKvmUsable: false };
    expect(accelerationFor('plain', noDevice).reason).toMatch(/not read-writable/);
  });

  it('runs our hypervisor under KVM with the host CPU only where KVM nests it and the CPU is AMD', () => {
    expect(accelerationFor('svm', kvmHost('kvm_amd', true))).toMatchObject({ accel: 'kvm', cpu: 'host' });
    expect(accelerationFor('svm', kvmHost('kvm_amd', false))).toMatchObject({
      accel: 'tcg',
      cpu: machineDefaults.cpu,
      reason: expect.stringMatching(/kvm_amd does not nest.*kvm_amd nested=1/),
    });
    // no VT-x backend yet: an Intel host's nested VMX is of no use to it
    expect(accelerationFor('svm', kvmHost('kvm_intel', true))).toMatchObject({
      accel: 'tcg',
      reason: expect.stringMatching(/Intel host.*no VT-x/),
    });
  });

  it("runs the baseline's KVM host PC under nested KVM on either vendor, and plain PCs under KVM as they are", () => {
    expect(accelerationFor('virtualization', kvmHost('kvm_intel', true))).toMatchObject({ accel: 'kvm', cpu: 'host' });
    expect(accelerationFor('virtualization', kvmHost('kvm_intel', false))).toMatchObject({
      accel: 'tcg',
      reason: expect.stringMatching(/kvm_intel nested=Y/),
    });
    expect(accelerationFor('plain', kvmHost('kvm_intel', false))).toEqual({
      accel: 'kvm',
      cpu: machineDefaults.cpu,
      reason: 'KVM: kvm_intel loaded and /dev/kvm usable',
    });
  });

  it("takes 'tcg' and 'kvm' as asked, and refuses 'kvm' where it does not work", () => {
    const pvm = (): HostKvm => ({
      module: undefined,
      pvmOnly: true,
      devKvmUsable: false,
      virtualizationFlag: false,
      nested: false,
    });
    expect(resolveAcceleration('tcg', 'svm', 'qemu64,+svm,+npt', pvm)).toMatchObject({
      accel: 'tcg',
      cpu: 'qemu64,+svm,+npt',
    });
    expect(resolveAcceleration(undefined, 'plain', 'max', pvm)).toMatchObject({ accel: 'tcg', cpu: 'max' });
    expect(() => resolveAcceleration('kvm', 'plain', 'max', pvm)).toThrow(/KVM is not usable here: no kvm_intel/);
    expect(resolveAcceleration('auto', 'svm', 'max', () => kvmHost('kvm_amd', true))).toMatchObject({
      accel: 'kvm',
      cpu: 'host',
    });
  });
});
