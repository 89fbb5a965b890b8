// SPDX-License-Identifier: MIT
// vblade never outlives the pipeline that started it: killed with SIGKILL (no cleanup runs), the
// pipeline's vblade dies with it, so it cannot keep its loop device and namespace (or, on the
// hardware testbed, the server's NIC) busy. And a server survives being stopped and continued
// (^Z and fg, or SIGSTOP/SIGCONT as the concurrency tests do): with accounting on, vblade's socket
// has a receive timeout, and such a read ends with EINTR when the process is stopped.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AoeLab, buildServer, conformanceServers, patchedVblade } from '../lab.js';

let lab: AoeLab;
let dir: string;

beforeAll(() => {
  buildServer();
  dir = mkdtempSync(join(tmpdir(), 'vblade-life-'));
  writeFileSync(join(dir, 'disk.img'), '');
  truncateSync(join(dir, 'disk.img'), 1024 * 1024);
  lab = AoeLab.create(`vblade-life-${process.pid}`);
});

afterAll(() => {
  lab?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The pid of the process running `binary` whose command line names `image`, if any. */
async function vbladeServing(image: string): Promise<number | undefined> {
  const { readdir, readFile } = await import('node:fs/promises');
  for (const pid of (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry))) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    const argv = cmdline.split('\0');
    if (argv[0] === patchedVblade && argv.includes(image)) return Number(pid);
  }
  return undefined;
}

test('a pipeline killed with SIGKILL takes its vblade with it', async () => {
  const image = join(dir, 'disk.img');
  const script = `import { spawnVblade } from ${JSON.stringify(join(process.cwd(), 'server/lab.ts'))};
    spawnVblade({ netns: ${JSON.stringify(lab.ns)}, ifname: ${JSON.stringify(lab.serverIf)}, image: ${JSON.stringify(image)}, shelf: 3, slot: 4 });
    setInterval(() => undefined, 1000);`;
  // node itself (not the tsx launcher, which runs node as a child) is the process killed.
  const pipeline = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', script], {
    stdio: 'ignore',
  });
  let vblade: number | undefined;
  for (let waited = 0; vblade === undefined && waited < 20_000; waited += 200) {
    await new Promise((r) => setTimeout(r, 200));
    vblade = await vbladeServing(image);
  }
  expect(vblade, 'vblade did not start').toBeDefined();
  pipeline.kill('SIGKILL');
  for (let waited = 0; existsSync(`/proc/${vblade}`) && waited < 5_000; waited += 100)
    await new Promise((r) => setTimeout(r, 100));
  expect(existsSync(`/proc/${vblade}`), `vblade (pid ${vblade}) outlived its pipeline`).toBe(false);
}, 60_000);

describe.each(conformanceServers)('$name', ({ binary }) => {
  test('stopped and continued 30 times, the server with accounting on still serves', async () => {
    const server = await lab.startServer({
      binary,
      image: join(dir, 'disk.img'),
      flags: ['-a', join(dir, 'counters.txt'), '-t', join(dir, 'trace.log')],
    });
    try {
      // before the fix of patches/0006, vblade died within the first ten cycles on an idle host
      for (let cycle = 0; cycle < 30; cycle++) {
        server.process.kill('SIGSTOP');
        await new Promise((r) => setTimeout(r, 20));
        server.process.kill('SIGCONT');
        await new Promise((r) => setTimeout(r, 20));
      }
      expect((await lab.probe(['read', '--lba', '0', '--sectors', '64'])).code).toBe(0);
      expect(server.alive(), server.output()).toBe(true);
    } finally {
      await lab.stopServer(server);
    }
  }, 60_000);
});
