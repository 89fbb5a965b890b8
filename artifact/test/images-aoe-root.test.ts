// SPDX-License-Identifier: MIT
// The alternative users would pick instead of our hypervisor (issue 7): iPXE's sanboot over AoE.
// Real parts end to end: the aoe-root image variant (debootstrap-built, cached), exported by the
// patched vblade on a tap in a private namespace; dnsmasq hands QEMU's iPXE ROM a script that
// sanboots the target; GRUB, the kernel and the initramfs come through iPXE's INT 13h, and
// aoetools' initramfs scripts (the aoe module) find the root once the NICs are up.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { $ } from 'zx';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { nicLinkMarker } from '../images/aoe-root-initramfs.js';
import { ensureDebianImage, withMountedRoot, type ImageInfo } from '../images/index.js';
import { createNetns, runInShell, startMachine, type Machine } from '../testbed/index.js';
import { withBootServices } from '../../server/boot-services.js';
import { buildServer, patchedVblade, spawnVblade, stopProcess } from '../../server/lab.js';

const target = { shelf: 0, slot: 1 } as const;
const loginTimeoutMs = 10 * 60_000;

describe('aoe-root image variant', () => {
  let image: ImageInfo;
  let workDir: string;
  beforeAll(async () => {
    buildServer();
    image = await ensureDebianImage({
      variant: 'aoe-root',
      onProgress: (step) => console.log(`aoe-root image: ${step}`),
    });
    workDir = await mkdtemp(path.join(os.tmpdir(), 'aoe-root-test-'));
  }, 40 * 60_000);
  afterAll(async () => {
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  test('is the stock recipe plus aoetools, named by its own hash', () => {
    const names = image.manifest.packages.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['linux-image-amd64', 'grub-pc', 'fio', 'python3', 'aoetools']));
    expect(image.manifest.recipe.initramfsModules).toEqual(expect.arrayContaining(['e1000']));
    expect(path.basename(image.path)).toBe(`debian12-aoe-root-${image.manifest.imageHash}.img`);
  });

  test(
    'a PC with no disk sanboots it over AoE: root on /dev/etherd/e0.1p1, login, writes reach the server',
    { timeout: 15 * 60_000 },
    async () => {
      const served = path.join(workDir, 'served.img');
      await $`cp --sparse=always ${image.path} ${served}`.quiet();
      const netns = await createNetns(`sanboot-${process.pid}`);
      const vblade = spawnVblade({
        netns: netns.name,
        ifname: netns.taps[0]!,
        image: served,
        ...target,
        binary: patchedVblade,
      });
      let machine: Machine | undefined;
      try {
        await withBootServices(
          { netns: netns.name, ifname: netns.taps[0]!, program: { kind: 'sanboot-aoe', ...target }, logDir: workDir },
          async (services) => {
            machine = await startMachine({
              name: 'sanboot',
              logDir: workDir,
              bootFrom: 'network',
              netns: netns.name,
              nics: [{ kind: 'tap', tap: netns.taps[0]!, mac: '52:54:00:a0:e0:07', model: 'e1000' }],
            });
            await machine.consoles.com1.waitFor(new RegExp(nicLinkMarker), loginTimeoutMs);
            await machine.consoles.com1.waitForPrompt(/login: /, loginTimeoutMs);
            // Only the script went over TFTP: the disk itself came over AoE.
            expect(services.transfers().map((t) => t.file)).toEqual(['boot.ipxe']);
            const root = await runInShell(
              machine.consoles.com1,
              'findmnt -n -o SOURCE / && echo sanboot-proof > /root/sanboot-proof && sync',
            );
            expect(root.exitCode).toBe(0);
            expect(root.output.trim()).toBe(`/dev/etherd/e${target.shelf}.${target.slot}p1`);
            machine.consoles.com1.send('poweroff\n');
            expect((await machine.exited).code).toBe(0);
          },
        );
      } finally {
        await machine?.kill();
        await stopProcess(vblade.process);
        await netns.destroy();
      }
      // The guest's write is in the served image file: its root file system lives on the server.
      const written = await withMountedRoot(served, (root) => readFile(path.join(root, 'root/sanboot-proof'), 'utf8'));
      expect(written.trim()).toBe('sanboot-proof');
    },
  );
});
