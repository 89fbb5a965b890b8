// SPDX-License-Identifier: MIT
// aoe-probe's recovery: with the server stopped (SIGSTOP) past the retransmit timeout, the probe
// retransmits; when the server resumes it answers originals and duplicates, and the probe must
// drop the duplicates and still deliver exactly the data on the disk. Also: argument errors.
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { AoeLab, buildServer, type RunningServer } from '../lab.js';

let lab: AoeLab;
let dir: string;
let server: RunningServer;
let serverMac: string;

beforeAll(async () => {
  buildServer();
  dir = mkdtempSync(join(tmpdir(), 'aoe-rtx-'));
  const image = join(dir, 'disk.img');
  writeFileSync(image, '');
  truncateSync(image, 64 << 20);
  lab = AoeLab.create(`aoe-rtx-${process.pid}`);
  server = await lab.startServer({ image, flags: ['-b', '64'] });
  // with the MAC known the probe skips discovery, so it can talk to a stopped server
  serverMac = AoeLab.event(await lab.probe(['discover']), 'target')['mac'] as string;
});

afterAll(() => {
  if (server?.alive()) server.process.kill('SIGCONT');
  lab?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('frames unanswered past the timeout are retransmitted; late duplicates are dropped', async () => {
  const region = ['--lba', '4096', '--sectors', '512', '--seed', '42'];
  expect((await lab.probe(['write', ...region])).code).toBe(0);
  server.process.kill('SIGSTOP');
  const verifying = lab.probe(['verify', ...region, '--mac', serverMac, '--timeout-ms', '50', '--window', '8']);
  await new Promise((resolve) => setTimeout(resolve, 400));
  server.process.kill('SIGCONT');
  const r = await verifying;
  const v = AoeLab.event(r, 'verify');
  expect(v['mismatched_sectors']).toBe(0);
  expect(v['retransmits']).toBeGreaterThan(0);
  expect(v['stray_frames']).toBeGreaterThan(0);
});

test('a target that never answers fails after the retries with a clear result', async () => {
  server.process.kill('SIGSTOP');
  try {
    const r = await lab.probe([
      'read',
      '--lba',
      '0',
      '--sectors',
      '4',
      '--mac',
      serverMac,
      '--timeout-ms',
      '20',
      '--retries',
      '2',
    ]);
    expect(r.code).toBe(1);
    expect(AoeLab.event(r, 'error')).toMatchObject({ result: 'no-response' });
  } finally {
    server.process.kill('SIGCONT');
  }
});

test('rtt reports a mean RTT for every packet index of a 1 MiB read (Fig. 8, host side)', async () => {
  const r = await lab.probe(['rtt', '--requests', '3', '--span', '8192', '--window', '64']);
  expect(AoeLab.event(r, 'io')).toMatchObject({ op: 'read', bs: 1 << 20, requests: 3, spf: 2 });
  const rtt = r.events.filter((e) => e['event'] === 'rtt');
  expect(rtt.map((e) => e['index'])).toEqual(Array.from({ length: 1024 }, (_, i) => i));
  for (const e of rtt) {
    expect(e['samples']).toBeLessThanOrEqual(3);
    if ((e['samples'] as number) > 0) expect(e['mean_us']).toBeGreaterThan(0);
  }
});

test.each([
  [['read', '--lba', '0'], /--sectors is required/],
  [['read', '--lba', 'x', '--sectors', '1'], /--lba needs a number/],
  [['read', '--lba', '0', '--sectors', '1', '--bogus'], /unknown option '--bogus'/],
  [['io', '--op', 'erase', '--bs', '4096', '--requests', '1', '--span', '8'], /--op is read or write/],
  [['io', '--op', 'read', '--bs', '1000', '--requests', '1', '--span', '8'], /multiple of 512/],
  [['verify', '--lba', '0', '--sectors', '1'], /--seed is required/],
  [['identify', '--target', 'e1'], /not SHELF\.SLOT/],
  [['identify', '--target', '0.1', '--mac', '02:00'], /not a MAC address/],
  [['frobnicate'], /unknown subcommand 'frobnicate'/],
])('aoe-probe %j is refused with a clear message', async (args, message) => {
  const r = await lab.probe(args as string[]);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(message);
});
