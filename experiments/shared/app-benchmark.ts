// SPDX-License-Identifier: MIT
import { tunables } from '../../artifact/core/tunables.js';
import type { MeasurementWithoutRepetition, JobWork } from '../../artifact/core/experiment.js';
import { runSize, type RunSize } from '../../artifact/core/options.js';
import { appResults, appTestNames, type AppFrame } from '../../artifact/images/index.js';
import { readJobFrames } from './guest-job.js';

/** Input scale and passes: the full data sets (~125 MB tree, 2000 mails, 20 tracks) x 3, a tenth x 1, a twentieth x 1. */
export const appBenchmarkSize: Record<RunSize, { scale: number; passes: number }> = tunables.applications;
const jobTimeoutMs: Record<RunSize, number> = { full: 60 * 60_000, quick: 15 * 60_000, smoke: 10 * 60_000 };

export const appBenchmark: JobWork = {
  kind: 'job',
  describe: `${appTestNames.length} application tests`,
  tasks: (ctx) => ({ apps: { tests: [...appTestNames], ...appBenchmarkSize[runSize(ctx.options)] } }),
  timeoutMs: (ctx) => jobTimeoutMs[runSize(ctx.options)],
};

/** One measurement per test: mean seconds over its passes (scores are normalised in the figure). */
export async function parseAppBenchmark(rawDir: string): Promise<MeasurementWithoutRepetition[]> {
  const frames = (await readJobFrames(rawDir)).filter((f): f is AppFrame => f.type === 'app');
  const results = appResults(frames);
  if (results.length === 0) throw new Error(`${rawDir}: the guest reported no application test results`);
  return results.map((r) => ({ metric: r.test, unit: 's', value: r.seconds }));
}
