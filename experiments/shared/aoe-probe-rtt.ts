// SPDX-License-Identifier: MIT
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  hostScopedName,
  type MeasurementWithoutRepetition,
  type RepetitionContext,
} from '../../artifact/core/experiment.js';
import { runSize, type RunSize } from '../../artifact/core/options.js';
import { AoeLab } from '../../server/lab.js';
import { guestImage } from './guest-image.js';

/** vblade's advertised buffer count and the initiator's window: 64 frames in flight (see server/README.md). */
const window = 64;
/** Sequential 1 MiB reads as in the paper's Fig. 8 (1000 accesses); --quick: 100; --smoke: 50. */
const accesses: Record<RunSize, number> = { full: 1000, quick: 100, smoke: 50 };
const sectorsPerMiB = 2048;

/**
 * The server side of the paper's 5.5 analysis: the host's AoE initiator (aoe-probe) reads 1 MiB
 * accesses from the patched vblade over a veth pair in a private namespace and reports the mean
 * RTT of each request packet by its index within the access. Cache off = vblade -d (O_DIRECT);
 * cache on reads the same region once first, so the measured pass hits the server's page cache.
 */
export async function runProbeRtt(ctx: RepetitionContext, cache: 'on' | 'off'): Promise<void> {
  const image = guestImage(ctx);
  const requests = accesses[runSize(ctx.options)];
  const span = requests * sectorsPerMiB;
  const flags = ['-r', '-b', String(window), ...(cache === 'off' ? ['-d'] : [])];
  const lab = AoeLab.create(hostScopedName('rtt', ctx));
  try {
    ctx.progress(`vblade ${flags.join(' ')}, ${requests} x 1 MiB reads`);
    const server = await lab.startServer({ image: image.path, flags });
    const probeArgs = ['rtt', '--requests', String(requests), '--span', String(span), '--window', String(window)];
    if (cache === 'on') await lab.probe(probeArgs);
    const result = await lab.probe(probeArgs);
    await writeFile(
      path.join(ctx.rawDir, 'probe.json'),
      JSON.stringify({ vblade: flags, probe: probeArgs, exitCode: result.code }, null, 2) + '\n',
    );
    await writeFile(
      path.join(ctx.rawDir, 'probe-events.jsonl'),
      result.events.map((e) => JSON.stringify(e)).join('\n') + '\n',
    );
    await writeFile(path.join(ctx.rawDir, 'probe.stderr.log'), result.stderr);
    await writeFile(path.join(ctx.rawDir, 'vblade.log'), server.output());
    if (result.code !== 0) throw new Error(`aoe-probe rtt exited ${result.code}: ${result.stderr.split('\n')[0]}`);
  } finally {
    lab.close();
  }
}

/**
 * Mean RTT (ms) per packet index, indices without a clean sample (only retransmitted frames) left
 * out; and the probe's throughput over the measured pass (MB/s), what the server gives an initiator
 * that costs next to nothing per frame.
 */
export async function parseProbeRtt(rawDir: string): Promise<MeasurementWithoutRepetition[]> {
  const lines = (await readFile(path.join(rawDir, 'probe-events.jsonl'), 'utf8'))
    .split('\n')
    .filter((l) => l.trim() !== '');
  const measurements: MeasurementWithoutRepetition[] = [];
  for (const line of lines) {
    const event = JSON.parse(line) as {
      event?: string;
      index?: number;
      mean_us?: number;
      samples?: number;
      MBps?: number;
    };
    if (event.event === 'io' && typeof event.MBps === 'number')
      measurements.push({ metric: 'probe-seq-read', unit: 'MB/s', value: event.MBps });
    if (event.event !== 'rtt' || event.samples === undefined || event.samples === 0) continue;
    if (typeof event.index !== 'number' || typeof event.mean_us !== 'number')
      throw new Error(`${rawDir}: malformed rtt event ${line}`);
    measurements.push({ metric: 'rtt', unit: 'ms', x: event.index, value: event.mean_us / 1000 });
  }
  if (!measurements.some((m) => m.metric === 'rtt')) throw new Error(`${rawDir}: aoe-probe reported no RTT samples`);
  return measurements;
}
