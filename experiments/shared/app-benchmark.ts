import type { MeasurementWithoutRepetition, RepetitionContext } from '../../artifact/core/experiment.js';
import { appResults, appTestNames, type AppFrame } from '../../artifact/images/index.js';
import type { ClientBoot } from './client-pc.js';
import { readJobFrames, runGuestJob } from './guest-job.js';

/** Input scale and passes: the full data sets (~125 MB tree, 2000 mails, 20 tracks) x 3, or a tenth x 1. */
export const appBenchmarkSize = { full: { scale: 1, passes: 3 }, quick: { scale: 0.1, passes: 1 } } as const;
const jobTimeoutMs = { full: 60 * 60_000, quick: 15 * 60_000 } as const;

export async function runAppBenchmark(ctx: RepetitionContext, boot: ClientBoot): Promise<void> {
  const chosen = ctx.options.quick ? appBenchmarkSize.quick : appBenchmarkSize.full;
  ctx.progress(`${appTestNames.length} application tests, scale ${chosen.scale}`);
  await runGuestJob(ctx, boot, { apps: { tests: [...appTestNames], ...chosen } }, ctx.options.quick ? jobTimeoutMs.quick : jobTimeoutMs.full);
}

/** One measurement per test: mean seconds over its passes (scores are normalised in the figure). */
export async function parseAppBenchmark(rawDir: string): Promise<MeasurementWithoutRepetition[]> {
  const frames = (await readJobFrames(rawDir)).filter((f): f is AppFrame => f.type === 'app');
  const results = appResults(frames);
  if (results.length === 0) throw new Error(`${rawDir}: the guest reported no application test results`);
  return results.map((r) => ({ metric: r.test, unit: 's', value: r.seconds }));
}
