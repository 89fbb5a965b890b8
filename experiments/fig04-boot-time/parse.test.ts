// SPDX-License-Identifier: MIT
import { copyFile, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBootToLogin } from '../shared/boot-to-login.js';

const fixtures = path.join(import.meta.dirname, '..', '..', 'artifact', 'test', 'fixtures');

describe('Fig. 4 boot-time parser (synthetic fixture console log)', () => {
  it('measures OS boot from GRUB leaving its menu to the login prompt, and power-on to login', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'fig04-raw-'));
    await copyFile(path.join(fixtures, 'boot-console.timed.log'), path.join(dir, 'client.com1.timed.log'));
    const measurements = await parseBootToLogin(dir);
    expect(measurements).toHaveLength(3);
    expect(measurements[0]).toMatchObject({ metric: 'os-boot', unit: 's' });
    expect(measurements[0]!.value).toBeCloseTo((33050.75 - 3100) / 1000, 6);
    expect(measurements[1]).toMatchObject({ metric: 'total-boot' });
    expect(measurements[1]!.value).toBeCloseTo(33.05075, 6);
    // No hypervisor ran: the "VMM boot" segment is the firmware's, power-on to the GRUB menu.
    expect(measurements[2]).toEqual({ metric: 'vmm-boot', unit: 's', value: 0.9005 });
  });

  it('adds the VMM boot time (power-on to "vmm: starting the guest" on COM2) when a hypervisor ran', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'fig04-raw-'));
    await copyFile(path.join(fixtures, 'boot-console.timed.log'), path.join(dir, 'client.com1.timed.log'));
    await copyFile(path.join(fixtures, 'hypervisor-console.timed.log'), path.join(dir, 'client.com2.timed.log'));
    const vmmBoot = (await parseBootToLogin(dir)).find((m) => m.metric === 'vmm-boot');
    expect(vmmBoot).toEqual({ metric: 'vmm-boot', unit: 's', value: 0.658635 });
  });

  it('KVM + NFS layout: the guest on COM2, the host saying "kvm-host: starting the guest" on COM1', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'fig10-raw-'));
    await copyFile(path.join(fixtures, 'boot-console.timed.log'), path.join(dir, 'client.com2.timed.log'));
    await writeFile(
      path.join(dir, 'client.com1.timed.log'),
      `500.000 ${JSON.stringify('debian login: root (automatic login)\r\n')}\n700.250 ${JSON.stringify('kvm-host: starting the guest\n')}\n`,
    );
    await writeFile(
      path.join(dir, 'client.start.json'),
      JSON.stringify({ epochMs: 0, kernel: null, kernelSha256: null, guestConsole: 'com2' }),
    );
    const measurements = await parseBootToLogin(dir);
    // The host's own login prompt on COM1 is not the guest's.
    expect(measurements.find((m) => m.metric === 'total-boot')!.value).toBeCloseTo(33.05075, 6);
    expect(measurements.find((m) => m.metric === 'vmm-boot')).toEqual({
      metric: 'vmm-boot',
      unit: 's',
      value: 0.70025,
    });
  });

  it('reports a boot that never reached login', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'fig04-raw-'));
    await writeFile(
      path.join(dir, 'client.com1.timed.log'),
      `100.000 ${JSON.stringify('GNU GRUB  version 2.06\r\n')}\n`,
    );
    await expect(parseBootToLogin(dir)).rejects.toThrow(/did not reach its login prompt/);
  });
});
