// SPDX-License-Identifier: MIT
import { tunables } from '../../artifact/core/tunables.js';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { MeasurementWithoutRepetition, JobWork } from '../../artifact/core/experiment.js';
import { runSize, type RunSize } from '../../artifact/core/options.js';
import type { RttFrame } from '../../artifact/images/index.js';
import { clientName } from './client-pc.js';
import { readJobFrames } from './guest-job.js';
import { parseAoeStatsBlocks, type ClientTimeSplit } from './hypervisor-aoe-stats.js';

/** 1 MiB sequential reads per run (the paper's Fig. 8: 1000), and the test file they loop over. */
export const rttJobSize: Record<RunSize, { accesses: number; fileMiB: number }> = tunables.rtt;
const accessBytes = 1024 * 1024;
/** Packet indexes the hypervisor keeps apart (AOE_STATS_INDEXES in vmm/include/aoe/aoe_stats.h). */
const maxStatsIndexes = 1024;
/** Cache off reads about 6 MB/s under TCG: 1000 MiB plus the file's writing. */
const jobTimeoutMs: Record<RunSize, number> = { full: 45 * 60_000, quick: 15 * 60_000, smoke: 10 * 60_000 };

/**
 * The paper's own Fig. 8 measurement, in a guest network-booted through our hypervisor: the job
 * zeroes the hypervisor's AoE statistics (VMMCALL), reads 1 MiB blocks sequentially with O_DIRECT,
 * and has the hypervisor print the statistics on its console (COM2), which the session keeps.
 */
export const hypervisorRtt: JobWork = {
  kind: 'job',
  describe: '1 MiB O_DIRECT reads with the hypervisor counting RTTs',
  tasks: (ctx) => {
    const { accesses, fileMiB } = rttJobSize[runSize(ctx.options)];
    return { rtt: { sizeMiB: fileMiB, accesses } };
  },
  timeoutMs: (ctx) => jobTimeoutMs[runSize(ctx.options)],
};

/**
 * Mean RTT (ms) by packet index over the reads; the mean latency of one 1 MiB access as fio saw
 * it in the guest; and the share of accesses that reached the hypervisor as one ATA command
 * (counted at the access's last packet index; other processes' reads in the interval do not
 * reach it, as they would a plain count of commands).
 */
export async function parseHypervisorRtt(rawDir: string): Promise<MeasurementWithoutRepetition[]> {
  const frame = (await readJobFrames(rawDir)).find((f): f is RttFrame => f.type === 'rtt');
  if (!frame) throw new Error(`${rawDir}: the guest reported no rtt frame`);
  const hypervisorConsole = await readFile(path.join(rawDir, `${clientName}.com2.log`), 'latin1');
  // Only the rtt job asks the hypervisor for its statistics, so in a boot session the last block
  // printed on request is this job's.
  const stats = parseAoeStatsBlocks(hypervisorConsole)
    .filter((b) => b.reason === 'guest request')
    .at(-1);
  if (!stats) throw new Error(`${rawDir}: the hypervisor console has no AoE statistics printed on the guest's request`);
  if (stats.rtt.read.length === 0) throw new Error(`${rawDir}: the hypervisor saw no reads during the RTT job`);
  const sectorsPerFrame = Number(/AoE: target \S+ found at .*, (\d+) sectors per frame/.exec(hypervisorConsole)?.[1]);
  if (!sectorsPerFrame)
    throw new Error(`${rawDir}: the hypervisor console does not say how many sectors go in one frame`);
  // The last request of a whole access (the 121st at 17 sectors per frame: the last one is shorter).
  const lastIndex = Math.min(Math.ceil(accessBytes / (sectorsPerFrame * 512)), maxStatsIndexes) - 1;
  const wholeAccesses = stats.rtt.read.find((bucket) => bucket.index === lastIndex)?.count ?? 0;
  const latencyNs = (frame.fio as { jobs?: { read?: { lat_ns?: { mean?: number } } }[] }).jobs?.[0]?.read?.lat_ns?.mean;
  if (typeof latencyNs !== 'number') throw new Error(`${rawDir}: the rtt frame's fio output has no read latency`);
  return [
    ...stats.rtt.read.map((bucket) => ({
      metric: 'rtt',
      unit: 'ms',
      x: bucket.index,
      value: bucket.totalUs / bucket.count / 1000,
    })),
    { metric: 'access-latency', unit: 'ms', value: latencyNs / 1e6 },
    { metric: 'one-command-accesses', unit: 'fraction', value: Math.min(1, wholeAccesses / frame.accesses) },
    { metric: 'retransmits', unit: 'frames', value: stats.retransmits },
    ...perFrameSplit(stats.time),
  ];
}

/** The client's time per answer received, by phase (the Fig. 8 table's per-frame breakdown). */
export const perFramePhases = ['busy', 'transmit', 'doorbell', 'receive', 'idle', 'other'] as const;

function perFrameSplit(time: ClientTimeSplit | undefined): MeasurementWithoutRepetition[] {
  if (time === undefined || time.framesReceived === 0) return [];
  const totals: Record<(typeof perFramePhases)[number], number> = {
    busy: time.busyUs,
    transmit: time.transmitUs,
    doorbell: time.doorbellUs,
    receive: time.receiveUs,
    idle: time.idleUs,
    other: time.otherUs,
  };
  return perFramePhases.map((phase) => ({
    metric: `frame-${phase}`,
    unit: 'us',
    value: totals[phase] / time.framesReceived,
  }));
}
