// SPDX-License-Identifier: MIT
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { StormClient } from '../../server/storm.js';
import { parseBootStorm } from './boot-storm.js';

let rawDir: string | undefined;
afterEach(() => {
  if (rawDir) rmSync(rawDir, { recursive: true, force: true });
});

/** A hypervisor console with its two statistics blocks: boot checks, then at login. */
const hypervisorConsole = (checksUs: number, readUs: number, writeUs: number) =>
  [
    'vmm: aoe stats begin (hypervisor boot checks)',
    'vmm: aoe stats: commands 18, frames sent 1026, retransmits 0, duplicates 0, stale 0, bytes read 1049600, written 0',
    `vmm: aoe commands read: count 18 sectors 2050 mean 762 us max 3317 us total ${checksUs} us`,
    'vmm: aoe stats end',
    'vmm: aoe stats begin (guest request)',
    'vmm: aoe stats: commands 40, frames sent 900, retransmits 0, duplicates 0, stale 0, bytes read 65205248, written 2207744',
    `vmm: aoe commands read: count 30 sectors 1000 mean 1 us max 1 us total ${readUs} us`,
    `vmm: aoe commands write: count 10 sectors 100 mean 1 us max 1 us total ${writeUs} us`,
    'vmm: aoe stats end',
  ].join('\n');

const client = (diskUs: number, ok = true): StormClient => ({
  mac: '02:a0:e0:00:00:00',
  ok,
  diskUs: ok ? diskUs : 0,
  elapsedUs: ok ? 40e6 : 0,
  sectorsRead: ok ? 1000 : 0,
  sectorsWritten: ok ? 100 : 0,
  retransmits: 0,
  ...(ok ? {} : { error: 'aoe-probe replay: command 7 of 40 (r 8+2) failed' }),
});

function rawFolder(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'storm-parse-'));
  writeFileSync(path.join(dir, 'boot-stream.txt'), '# aoe-replay v1\n0 r 0 2\n500 w 8 2\n');
  mkdirSync(path.join(dir, 'real-n1'));
  writeFileSync(path.join(dir, 'real-n1', 'done'), '');
  writeFileSync(path.join(dir, 'real-n1', 'logins.json'), '[40000]\n');
  writeFileSync(path.join(dir, 'real-n1', 'pc1.com2.log'), hypervisorConsole(100_000, 1_500_000, 400_000));
  // real-n2 started but did not finish: no 'done', so it is not counted
  mkdirSync(path.join(dir, 'real-n2'));
  const replay = (clients: StormClient[], wallUs: number) => JSON.stringify({ clients, wallUs, serverOutput: '' });
  writeFileSync(path.join(dir, 'replay-n1.json'), replay([client(1_000_000)], 50e6));
  writeFileSync(path.join(dir, 'replay-n2.json'), replay([client(3_000_000), client(0, false)], 64e6));
  return dir;
}

describe('boot storm raw folder', () => {
  it('gives per-N replay times and throughput, the real boots and the replay/real ratio', async () => {
    rawDir = rawFolder();
    const byMetric = (metric: string) =>
      Object.fromEntries(
        (measured as { metric: string; x?: number; value: number }[])
          .filter((m) => m.metric === metric)
          .map((m) => [m.x ?? 'all', m.value]),
      );
    const measured = await parseBootStorm(rawDir);
    expect(byMetric('stream-commands')).toEqual({ all: 2 });
    expect(byMetric('real-disk-time')).toEqual({ 1: 2 }); // checks 0.1 s + reads 1.5 s + writes 0.4 s
    expect(byMetric('real-login')).toEqual({ 1: 40 });
    expect(byMetric('client-disk-time')).toEqual({ 1: 1, 2: 3 }); // only the client that finished
    expect(byMetric('failed-clients')).toEqual({ 1: 0, 2: 1 });
    expect(byMetric('server-throughput')).toEqual({ 1: (1100 * 512) / 50e6, 2: (1100 * 512) / 64e6 });
    expect(byMetric('storm-span')).toEqual({ 1: 50, 2: 64 });
    expect(byMetric('replay-vs-real-disk')).toEqual({ 1: 0.5 });
    expect(byMetric('replay-vs-real-span')).toEqual({ 1: 1 }); // 40 s elapsed against login at 40 s
  });

  it('says so when the replays never ran, or a real PC printed no statistics', async () => {
    rawDir = rawFolder();
    rmSync(path.join(rawDir, 'replay-n1.json'));
    rmSync(path.join(rawDir, 'replay-n2.json'));
    await expect(parseBootStorm(rawDir)).rejects.toThrow(/no replay-n<N>.json/);
    writeFileSync(path.join(rawDir, 'real-n1', 'pc1.com2.log'), 'vmm: starting the guest\n');
    await expect(parseBootStorm(rawDir)).rejects.toThrow(/pc1's hypervisor console lacks its AoE statistics/);
  });
});
