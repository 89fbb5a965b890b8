// SPDX-License-Identifier: MIT
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { MeasurementWithoutRepetition, MetricInfo, JobWork } from '../../artifact/core/experiment.js';
import { runSize, type RunSize } from '../../artifact/core/options.js';
import { fioPresets } from '../../artifact/images/index.js';
import { extractBootMarkers, findInTranscript, parseTimedLog } from '../../artifact/testbed/index.js';
import type { AccountingSample } from '../../server/sampler.js';
import { serverAccountingFile } from './aoe-server.js';
import { clientName, clientStartFile } from './client-pc.js';
import { jobEndFrame, jobStartFrame } from './guest-job.js';

/** The four curves of Figs 6 and 7: what the client issued (vblade's counters) and what reached the server's disk (loop device). */
const curves = {
  'read-issued': (s: AccountingSample) => s.issuedReadBytes,
  'read-reached-disk': (s: AccountingSample) => s.reachedReadBytes,
  'write-issued': (s: AccountingSample) => s.issuedWriteBytes,
  'write-reached-disk': (s: AccountingSample) => s.reachedWriteBytes,
} as const;
type Curve = keyof typeof curves;

const curveLabels: Record<Curve, string> = {
  'read-issued': 'read issued by the OS',
  'read-reached-disk': 'read reaching the server disk',
  'write-issued': 'write issued by the OS',
  'write-reached-disk': 'write reaching the server disk',
};

function curveMetrics(unit: string): Record<Curve, MetricInfo> {
  return Object.fromEntries(
    Object.entries(curveLabels).map(([id, label]) => [id, { label, unit, better: 'lower' }]),
  ) as Record<Curve, MetricInfo>;
}

/** Fig. 6: cumulative MB since GRUB left its menu. */
export const bootCacheMetrics = curveMetrics('MB');
/** Fig. 7: MB per second during the sequential benchmark. */
export const benchmarkCacheMetrics = curveMetrics('MB/s');

/** Seconds between the points of both figures (the sampler takes two samples a second). */
const stepSeconds = 1;
const MB = 1e6;

/**
 * The sampled curves on a fixed grid of whole seconds from `originMs` to `endMs` (ms since QEMU
 * start), each value the last sample at or before the grid point, minus the value at the origin.
 * Sample times are wall-clock; `startEpochMs` is when QEMU started. Pure.
 */
export function cumulativeOnGrid(
  samples: readonly AccountingSample[],
  startEpochMs: number,
  originMs: number,
  endMs: number,
): { x: number; values: Record<Curve, number> }[] {
  const sorted = [...samples].sort((a, b) => a.epochMs - b.epochMs);
  const at = (ms: number): AccountingSample | undefined => sorted.filter((s) => s.epochMs - startEpochMs <= ms).at(-1);
  const base = at(originMs);
  if (!base)
    throw new Error(
      `no server accounting sample before ${(originMs / 1000).toFixed(1)} s after power-on (the sampler started late?)`,
    );
  const grid: { x: number; values: Record<Curve, number> }[] = [];
  for (let x = 0; originMs + x * 1000 <= endMs; x += stepSeconds) {
    const sample = at(originMs + x * 1000)!;
    const values = Object.fromEntries(
      Object.entries(curves).map(([id, read]) => [id, (read(sample) - read(base)) / MB]),
    ) as Record<Curve, number>;
    grid.push({ x, values });
  }
  return grid;
}

/** Per-interval rates (MB/s) from a cumulative grid: the change over each step. Pure. */
export function ratesOnGrid(
  grid: readonly { x: number; values: Record<Curve, number> }[],
): { x: number; values: Record<Curve, number> }[] {
  return grid.slice(1).map((point, i) => ({
    x: point.x,
    values: Object.fromEntries(
      Object.keys(curves).map((id) => [id, (point.values[id as Curve] - grid[i]!.values[id as Curve]) / stepSeconds]),
    ) as Record<Curve, number>,
  }));
}

function toMeasurements(
  grid: readonly { x: number; values: Record<Curve, number> }[],
  unit: string,
): MeasurementWithoutRepetition[] {
  return grid.flatMap((point) =>
    Object.entries(point.values).map(([metric, value]) => ({ metric, unit, x: point.x, value })),
  );
}

async function readAccounting(
  rawDir: string,
): Promise<{ samples: AccountingSample[]; startEpochMs: number; console: ReturnType<typeof parseTimedLog> }> {
  const samples = (await readFile(path.join(rawDir, serverAccountingFile), 'utf8'))
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as AccountingSample);
  const { epochMs } = JSON.parse(await readFile(path.join(rawDir, clientStartFile), 'utf8')) as { epochMs: number };
  const console = parseTimedLog(await readFile(path.join(rawDir, `${clientName}.com1.timed.log`), 'utf8'));
  return { samples, startEpochMs: epochMs, console };
}

/** Fig. 6 from a boot-to-login repetition: cumulative MB per curve, each second from GRUB leaving its menu to login. */
export async function parseBootCacheEffect(rawDir: string): Promise<MeasurementWithoutRepetition[]> {
  const { samples, startEpochMs, console } = await readAccounting(rawDir);
  const markers = extractBootMarkers(console);
  if (markers.grubLeft === undefined || markers.login === undefined)
    throw new Error(`${rawDir}: the boot did not reach its login prompt (markers ${JSON.stringify(markers)})`);
  return toMeasurements(cumulativeOnGrid(samples, startEpochMs, markers.grubLeft, markers.login), 'MB');
}

const jobTimeoutMs: Record<RunSize, number> = { full: 60 * 60_000, quick: 15 * 60_000, smoke: 10 * 60_000 };

/** Sequential 1 MiB reads and writes, as CrystalDiskMark's first row (the paper's Fig. 7 benchmark). */
export const sequentialBenchmark: JobWork = {
  kind: 'job',
  describe: 'fio seq-1m with the server accounting',
  tasks: (ctx) => ({ fio: { ...fioPresets[runSize(ctx.options)], tests: ['seq-1m'] } }),
  timeoutMs: (ctx) => jobTimeoutMs[runSize(ctx.options)],
};

/** Fig. 7 from a sequential-benchmark repetition: MB/s per curve, each second from the job's start to its end. */
export async function parseBenchmarkCacheEffect(rawDir: string): Promise<MeasurementWithoutRepetition[]> {
  const { samples, startEpochMs, console } = await readAccounting(rawDir);
  // A boot session runs several jobs: the window is this job's (job.json names it).
  const { id } = JSON.parse(await readFile(path.join(rawDir, 'job.json'), 'utf8')) as { id: string };
  const start = findInTranscript(console, jobStartFrame(id));
  const end = findInTranscript(console, jobEndFrame(id));
  if (!start || !end) throw new Error(`${rawDir}: the guest's benchmark job did not start and finish`);
  return toMeasurements(ratesOnGrid(cumulativeOnGrid(samples, startEpochMs, start.t, end.t)), 'MB/s');
}
