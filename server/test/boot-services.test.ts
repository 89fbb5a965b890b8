// SPDX-License-Identifier: MIT
// dnsmasq started in a network namespace (no QEMU): it serves the boot files by TFTP on the
// namespace's interface only, and stop() leaves nothing running or configured.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { $ } from 'zx';
import { createNetns, type Netns } from '../../artifact/testbed/index.js';
import { startBootServices, withBootServices } from '../boot-services.js';

let netns: Netns | undefined;
afterEach(async () => {
  await netns?.destroy();
  netns = undefined;
});

test('serves boot.ipxe and the hypervisor by TFTP inside the namespace only; stop() undoes everything', async () => {
  netns = await createNetns(`bootsrv-${process.pid}`);
  const logDir = await mkdtemp(path.join(os.tmpdir(), 'bootsrv-test-'));
  const hypervisor = path.join(logDir, 'fake-vmm.elf');
  await $`head -c 300000 /dev/urandom > ${hypervisor}`;
  const ns = netns;
  let pid = 0;
  let tftpRoot = '';
  await withBootServices(
    { netns: ns.name, ifname: 'tap0', program: { kind: 'multiboot', image: hypervisor, options: 'aoe=auto' }, logDir },
    async (services) => {
      pid = services.pid;
      tftpRoot = services.tftpRoot;
      expect(services.alive()).toBe(true);
      // DHCP bound to tap0, TFTP on the server address; no DNS port.
      const sockets = await ns.run(['ss', '-Huapn']);
      expect(sockets).toMatch(/0\.0\.0\.0%tap0:67\b/);
      expect(sockets).toMatch(/10\.77\.0\.1:69\b/);
      expect(sockets).not.toMatch(/:53\b/);
      expect(
        services
          .lines()
          .map((l) => l.line)
          .join('\n'),
      ).toMatch(/router advertisement on fd77::/);
      // The host's namespace has no such address.
      expect((await $`ip -4 addr`.quiet()).stdout).not.toMatch(/10\.77\.0\.1\//);
      const script = await ns.run(['curl', '-sS', `tftp://${services.serverAddress}/boot.ipxe`]);
      expect(script).toBe(services.script);
      expect(script).toMatch(/^kernel vmm\.elf aoe=auto$/m);
      const fetched = path.join(logDir, 'fetched.elf');
      await ns.run(['curl', '-sS', '-o', fetched, `tftp://${services.serverAddress}/vmm.elf`]);
      expect(readFileSync(fetched).equals(readFileSync(hypervisor))).toBe(true);
      expect(statSync(path.join(tftpRoot, 'undionly.kpxe')).size).toBeGreaterThan(0);
      expect(services.transfers().map((t) => t.file)).toEqual(['boot.ipxe', 'vmm.elf']);
    },
  );
  expect(() => process.kill(pid, 0)).toThrow();
  expect(existsSync(tftpRoot)).toBe(false);
  expect(await ns.run(['ip', 'addr', 'show', 'dev', 'tap0'])).not.toMatch(/inet |inet6 fd77/);
  expect(readFileSync(path.join(logDir, 'dnsmasq.log'), 'utf8')).toMatch(
    /^\d+ dnsmasq-tftp\[\d+\]: sent \S+vmm\.elf to 10\.77\.0\.1$/m,
  );
});

test('proxy mode starts as proxy-DHCP on the subnet and hands out no addresses', async () => {
  netns = await createNetns(`bootsrvp-${process.pid}`);
  const logDir = await mkdtemp(path.join(os.tmpdir(), 'bootsrv-test-'));
  const services = await startBootServices({
    netns: netns.name,
    ifname: 'tap0',
    program: { kind: 'multiboot', image: '/usr/lib/ipxe/ipxe.lkrn', options: '' },
    logDir,
    mode: 'proxy',
  });
  try {
    const log = services
      .lines()
      .map((l) => l.line)
      .join('\n');
    expect(log).toMatch(/DHCP, proxy on subnet 10\.77\.0\.0/);
    expect(log).not.toMatch(/IP range/);
  } finally {
    await services.stop();
  }
  expect(services.alive()).toBe(false);
});
