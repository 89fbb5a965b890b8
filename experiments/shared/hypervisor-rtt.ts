import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { MeasurementWithoutRepetition, RepetitionContext } from '../../artifact/core/experiment.js';
import type { RttFrame } from '../../artifact/images/index.js';
import { withAoeServer } from './aoe-server.js';
import { clientName } from './client-pc.js';
import { readJobFrames, runGuestJob } from './guest-job.js';
import { parseAoeStatsBlocks } from './hypervisor-aoe-stats.js';

/** 1 MiB sequential reads averaged over, as in the paper's Fig. 8 (1000); --quick: 50. */
const accesses = { full: 1000, quick: 50 } as const;
/** The test file the reads loop over: written once through AoE before the reads. */
const fileMiB = { full: 256, quick: 32 } as const;
/** Cache off reads about 6 MB/s under TCG: 1000 MiB plus boot and the file's writing. */
const jobTimeoutMs = { full: 45 * 60_000, quick: 15 * 60_000 } as const;

/**
 * The paper's own Fig. 8 measurement: the guest network-boots through our hypervisor, zeroes the
 * hypervisor's AoE statistics (VMMCALL), reads 1 MiB blocks sequentially with O_DIRECT, and has
 * the hypervisor print the statistics on its console, which the host keeps in the raw folder.
 */
export async function runHypervisorRtt(ctx: RepetitionContext, cache: 'on' | 'off'): Promise<void> {
  const size = ctx.options.quick ? 'quick' : 'full';
  await withAoeServer(ctx, cache, async (boot) => {
    ctx.progress(`${accesses[size]} x 1 MiB reads over a ${fileMiB[size]} MiB file`);
    await runGuestJob(ctx, boot, { rtt: { sizeMiB: fileMiB[size], accesses: accesses[size] } }, jobTimeoutMs[size]);
  });
}

/**
 * Mean RTT (ms) by packet index over the reads; the mean latency of one 1 MiB access as fio saw
 * it in the guest; and how many ATA commands the guest's block layer made of one access.
 */
export async function parseHypervisorRtt(rawDir: string): Promise<MeasurementWithoutRepetition[]> {
  const frame = (await readJobFrames(rawDir)).find((f): f is RttFrame => f.type === 'rtt');
  if (!frame) throw new Error(`${rawDir}: the guest reported no rtt frame`);
  const hypervisorConsole = await readFile(path.join(rawDir, `${clientName}.com2.log`), 'latin1');
  const stats = parseAoeStatsBlocks(hypervisorConsole).filter((b) => b.reason === 'guest request').at(-1);
  if (!stats) throw new Error(`${rawDir}: the hypervisor console has no AoE statistics printed on the guest's request`);
  const reads = stats.dataCommands.read;
  if (!reads || stats.rtt.read.length === 0) throw new Error(`${rawDir}: the hypervisor saw no reads during the RTT job`);
  const latencyNs = (frame.fio as { jobs?: { read?: { lat_ns?: { mean?: number } } }[] }).jobs?.[0]?.read?.lat_ns?.mean;
  if (typeof latencyNs !== 'number') throw new Error(`${rawDir}: the rtt frame's fio output has no read latency`);
  return [
    ...stats.rtt.read.map((bucket) => ({ metric: 'rtt', unit: 'ms', x: bucket.index, value: bucket.totalUs / bucket.count / 1000 })),
    { metric: 'access-latency', unit: 'ms', value: latencyNs / 1e6 },
    { metric: 'commands-per-access', unit: 'commands', value: reads.count / frame.accesses },
    { metric: 'retransmits', unit: 'frames', value: stats.retransmits },
  ];
}
