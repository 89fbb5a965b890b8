// SPDX-License-Identifier: MIT
// Many PCs, one image (the paper's 6, issue 21): two client PCs network-boot the same stock Debian
// image at once, each through our hypervisor, from aoe-parallel with per-client copy-on-write
// overlays (-C). Each PC writes its own data. The base image, opened read-only by the server,
// stays as it was; each PC's disk, composed on the host from the base and its overlay
// (server/overlay.ts), holds that PC's data and not the other's.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ensureDebianImage, withMountedRoot } from '../../artifact/images/index.js';
import { createNetns, runInShell, startMachine, type Machine, type Netns } from '../../artifact/testbed/index.js';
import { buildServer, parallelServer, spawnVblade, stopProcess, type RunningServer } from '../../server/lab.js';
import { composeClientDisk, overlayClients } from '../../server/overlay.js';
import { buildHypervisor } from './support/hypervisor.js';
import { networkBootClient } from './support/network-boot.js';

const target = { shelf: 1, slot: 1 };
const clients = [
  { name: 'overlay-pc-a', mac: '52:54:00:a0:e0:0a', tap: 'tap0' },
  { name: 'overlay-pc-b', mac: '52:54:00:a0:e0:0b', tap: 'tap1' },
];
let netns: Netns | undefined;
let server: RunningServer | undefined;
let machines: Machine[] = [];
let dir: string | undefined;

beforeAll(() => {
  buildHypervisor();
  buildServer();
}, 180_000);

afterAll(async () => {
  await Promise.all(machines.map((m) => m.kill()));
  machines = [];
  await stopProcess(server?.process);
  await netns?.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test(
  'two PCs boot one image at once from aoe-parallel with per-client overlays; each disk keeps its own writes, the image none',
  async () => {
    const base = (await ensureDebianImage()).path;
    const baseModified = statSync(base).mtimeMs;
    dir = mkdtempSync(path.join(os.tmpdir(), 'vmm-overlays-'));
    const overlays = path.join(dir, 'overlays');
    // one wire: both PCs' taps and the server on a bridge
    netns = await createNetns(`vmm-overlays-${process.pid}`, { taps: clients.map((c) => c.tap), bridge: 'br0' });
    server = spawnVblade({
      binary: parallelServer,
      flags: ['-C', overlays],
      netns: netns.name,
      ifname: 'br0',
      image: base,
      ...target,
    });

    machines = await Promise.all(
      clients.map((c) =>
        startMachine(
          networkBootClient(c.name, { image: base, ...target }, { netns: netns!.name, tap: c.tap, mac: c.mac }),
        ),
      ),
    );
    const logins = await Promise.all(machines.map((m) => m.consoles.com1.waitForPrompt(/login: /, 20 * 60_000)));

    // each PC: its name and 8 MiB of its own random data, synced (FLUSH CACHE reaches the server)
    const sums: string[] = [];
    for (const [i, m] of machines.entries()) {
      const wrote = await runInShell(
        m.consoles.com1,
        `echo ${clients[i]!.name} > /root/whoami && dd if=/dev/urandom of=/root/data bs=1M count=8 status=none && sync && sha256sum /root/data`,
        { timeoutMs: 5 * 60_000 },
      );
      const sum = /^([0-9a-f]{64})/m.exec(wrote.output)?.[1];
      expect(sum, wrote.output).toBeDefined();
      sums.push(sum!);
    }
    for (const m of machines) m.consoles.com1.send('poweroff\n');
    await Promise.all(machines.map((m) => m.exited));
    for (const m of machines) expect(m.consoles.com2.text).not.toMatch(/PANIC/);
    await stopProcess(server.process);
    expect(server.output()).toMatch(/per-client overlays in .*, fresh/);

    const allocated = clients.map((c) => statSync(path.join(overlays, `${c.mac.replace(/:/g, '')}.img`)).blocks * 512);
    console.log(
      `two PCs from one image: login after ${logins.map((l) => (l.t / 1000).toFixed(1)).join(' and ')} s; ` +
        `overlays hold ${allocated.map((b) => (b / 2 ** 20).toFixed(1)).join(' and ')} MiB`,
    );
    expect(statSync(base).mtimeMs, 'the base image was written').toBe(baseModified);
    expect(overlayClients(overlays)).toEqual(clients.map((c) => c.mac));
    for (const [i, c] of clients.entries()) {
      const disk = path.join(dir, `${c.name}.img`);
      composeClientDisk(base, overlays, c.mac, disk);
      const seen = await withMountedRoot(disk, async (root) => ({
        whoami: readFileSync(path.join(root, 'root/whoami'), 'utf8').trim(),
        data: createHash('sha256')
          .update(readFileSync(path.join(root, 'root/data')))
          .digest('hex'),
      }));
      expect(seen).toEqual({ whoami: c.name, data: sums[i] });
      rmSync(disk);
    }
    expect(sums[0]).not.toBe(sums[1]);
  },
  40 * 60_000,
);
