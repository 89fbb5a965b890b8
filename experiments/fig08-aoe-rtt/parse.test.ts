// SPDX-License-Identifier: MIT
import { copyFile, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseProbeRtt } from '../shared/aoe-probe-rtt.js';

const fixtures = path.join(import.meta.dirname, '..', '..', 'artifact', 'test', 'fixtures');

describe('Fig. 8 RTT parser (aoe-probe rtt output fixture)', () => {
  it('gives the mean RTT in ms by packet index, leaving out indices without a clean sample, and the throughput', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'fig08-raw-'));
    await copyFile(path.join(fixtures, 'probe-rtt-events.jsonl'), path.join(dir, 'probe-events.jsonl'));
    const measurements = await parseProbeRtt(dir);
    expect(measurements.map((m) => [m.metric, m.unit, m.x])).toEqual([
      ['rtt', 'ms', 0],
      ['rtt', 'ms', 1],
      ['rtt', 'ms', 3],
      ['probe-seq-read', 'MB/s', undefined],
    ]);
    expect(measurements.map((m) => m.value)).toEqual([
      expect.closeTo(0.6584, 9),
      expect.closeTo(0.6837, 9),
      expect.closeTo(1.73703, 9),
      29.36,
    ]);
  });

  it('refuses output without RTT samples', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'fig08-raw-'));
    await writeFile(path.join(dir, 'probe-events.jsonl'), '{"event":"io","MBps":1}\n');
    await expect(parseProbeRtt(dir)).rejects.toThrow(/no RTT samples/);
  });
});
