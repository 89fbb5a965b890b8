import type { MeasurementWithoutRepetition, RepetitionContext } from '../../artifact/core/experiment.js';
import { fioPresets, parseFioPass, type FioTestName } from '../../artifact/images/index.js';
import { servedTarget } from './aoe-server.js';
import type { ClientBoot } from './client-pc.js';
import { readJobFrames, runGuestJob } from './guest-job.js';

/** The CrystalDiskMark rows the paper reports (Figs 5, 11); QD32 is not in the paper. */
const paperTests: readonly FioTestName[] = ['seq-1m', 'rand-512k', 'rand-4k'];
const metricOf: Partial<Record<FioTestName, string>> = { 'seq-1m': 'seq', 'rand-512k': 'rand512k', 'rand-4k': 'rand4k' };
/** Full size: boot + 3 tests x 2 directions x 5 passes + writing the 1000 MB file under TCG; --quick: boot + 32 MiB. */
const jobTimeoutMs = { full: 60 * 60_000, quick: 15 * 60_000 } as const;

/**
 * fio jobs equivalent to CrystalDiskMark (--quick: the small preset, 32 MiB, one pass), on the root
 * file system, or with `onGuestAoeDisk` on the disk the guest's own AoE initiator reaches.
 */
export async function runDiskBenchmark(ctx: RepetitionContext, boot: ClientBoot, onGuestAoeDisk = false): Promise<void> {
  const preset = ctx.options.quick ? fioPresets.quick : fioPresets.full;
  ctx.progress(`fio ${preset.sizeMiB} MiB x ${preset.passes} pass(es)`);
  const fio = { ...preset, tests: [...paperTests], ...(onGuestAoeDisk ? { guestAoeDisk: servedTarget } : {}) };
  await runGuestJob(ctx, boot, { fio }, ctx.options.quick ? jobTimeoutMs.quick : jobTimeoutMs.full);
}

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
