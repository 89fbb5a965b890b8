// SPDX-License-Identifier: MIT
import type {
  JobTasks,
  MeasurementWithoutRepetition,
  RepetitionContext,
  JobWork,
} from '../../artifact/core/experiment.js';
import { runSize, type RunSize } from '../../artifact/core/options.js';
import { fioPresets, parseFioPass, type FioTestName } from '../../artifact/images/index.js';
import { servedTarget } from './aoe-server.js';
import { readJobFrames } from './guest-job.js';

/** The CrystalDiskMark rows the paper reports (Figs 5, 11); QD32 is not in the paper. */
const paperTests: readonly FioTestName[] = ['seq-1m', 'rand-512k', 'rand-4k'];
const metricOf: Partial<Record<FioTestName, string>> = {
  'seq-1m': 'seq',
  'rand-512k': 'rand512k',
  'rand-4k': 'rand4k',
};
/** Full size: 3 tests x 2 directions x 5 passes + writing the 1000 MB file under TCG. */
const jobTimeoutMs: Record<RunSize, number> = { full: 60 * 60_000, quick: 15 * 60_000, smoke: 10 * 60_000 };

/**
 * fio jobs equivalent to CrystalDiskMark (--quick and --smoke: smaller files, one pass), on the
 * root file system, or on the disk the guest's own AoE initiator reaches (the guest-aoe-initiator
 * configuration, where the root file system is the local disk).
 */
function diskBenchmarkTasks(ctx: RepetitionContext): JobTasks {
  const preset = fioPresets[runSize(ctx.options)];
  const onGuestAoeDisk = ctx.configuration === 'guest-aoe-initiator';
  return { fio: { ...preset, tests: [...paperTests], ...(onGuestAoeDisk ? { guestAoeDisk: servedTarget } : {}) } };
}

export const diskBenchmark: JobWork = {
  kind: 'job',
  describe: 'fio (CrystalDiskMark rows)',
  tasks: diskBenchmarkTasks,
  timeoutMs: (ctx) => jobTimeoutMs[runSize(ctx.options)],
};

/** Best-of-passes inputs: one measurement per fio pass, metric '<test>-<read|write>' in MB/s (10^6 B). */
export async function parseDiskBenchmark(rawDir: string): Promise<MeasurementWithoutRepetition[]> {
  const measurements: MeasurementWithoutRepetition[] = [];
  for (const frame of await readJobFrames(rawDir)) {
    if (frame.type !== 'fio') continue;
    const pass = parseFioPass(frame);
    const prefix = metricOf[pass.test];
    if (prefix === undefined) continue;
    measurements.push({ metric: `${prefix}-${pass.rw}`, unit: 'MB/s', pass: pass.pass, value: pass.mbPerSecond });
  }
  if (measurements.length === 0) throw new Error(`${rawDir}: the guest reported no fio passes`);
  return measurements;
}
