import { existsSync } from 'node:fs';
import { mkdir, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { firstMissing, type CapabilityId } from '../core/capabilities.js';
import type { ConfigurationId } from '../core/configurations.js';
import type { Experiment, RepetitionContext } from '../core/experiment.js';
import { readJsonValidated, writeJsonAtomic } from '../core/json-file.js';
import type { GuestImage } from '../core/manifest.js';
import type { RunOptions } from '../core/options.js';
import { paths, repoRoot, type RunLayout } from '../core/paths.js';
import { repetitionFileSchema, resultFileSchema, type ConfigurationResult, type Measurement, type ResultFile } from '../core/results-schema.js';
import { hashFile, hashInputs, type StepLedger } from '../core/step-ledger.js';
import { stepLogger } from '../core/step-log.js';
import { hashSourceTree } from '../core/tree-hash.js';

export interface ExperimentStageContext {
  layout: RunLayout;
  ledger: StepLedger;
  options: RunOptions;
  guestImages: readonly GuestImage[];
  /** Capabilities this run took away, e.g. after the hypervisor failed to build. */
  blocked?: ReadonlyMap<CapabilityId, string>;
  progress: (text: string) => void;
}

const repetitionFile = (rawDir: string) => path.join(rawDir, 'measurements.json');

/**
 * Runs every repetition of every configuration whose machinery exists, resuming finished
 * repetitions; writes results/<experiment>.json (validated). A configuration that cannot run is
 * recorded 'not run' with the reason; one that throws is recorded 'failed' and the run goes on.
 */
export async function runExperiment(experiment: Experiment, ctx: ExperimentStageContext): Promise<ResultFile> {
  const configurations: ConfigurationResult[] = [];
  for (const [configuration, plan] of Object.entries(experiment.configurations) as [ConfigurationId, NonNullable<Experiment['configurations'][ConfigurationId]>][]) {
    const missing = firstMissing(plan.needs, ctx.blocked);
    if (missing) {
      configurations.push({ configuration, status: 'not-run', reason: missing.reason });
      continue;
    }
    if (!plan.runner) {
      configurations.push({ configuration, status: 'not-run', reason: 'the artifact has no runner for this configuration yet' });
      continue;
    }
    const runner = plan.runner;
    const log = stepLogger(ctx.layout.logs, `experiment-${experiment.id}-${configuration}`);
    try {
      const measurements: Measurement[] = [];
      for (let repetition = 1; repetition <= ctx.options.reps; repetition++) {
        const rawDir = path.join(ctx.layout.raw, experiment.id, configuration, `rep-${repetition}`);
        const repetitionContext: RepetitionContext = {
          experimentId: experiment.id,
          configuration,
          repetition,
          options: ctx.options,
          rawDir,
          guestImages: ctx.guestImages,
          log,
          progress: (text) => ctx.progress(`${configuration}: ${text}`),
        };
        const step = `experiment/${experiment.id}/${configuration}/rep-${repetition}`;
        // A repetition whose measurements were deleted is measured again.
        if (!existsSync(repetitionFile(rawDir))) await ctx.ledger.forget(step);
        const ran = await ctx.ledger.run(step, repetitionInputs(experiment, ctx), async () => {
          // An earlier attempt that did not finish keeps its logs beside the new one, for diagnosis.
          if (existsSync(rawDir)) await rename(rawDir, `${rawDir}.attempt-${new Date().toISOString().replaceAll(':', '')}`);
          await mkdir(rawDir, { recursive: true });
          log(`${step}: start`);
          await runner.run(repetitionContext);
          const parsed = await runner.parse(rawDir);
          await writeJsonAtomic(repetitionFile(rawDir), { measurements: parsed.map((m) => ({ ...m, repetition })) });
          log(`${step}: ${parsed.length} measurements`);
        });
        if (ran === 'skipped') ctx.progress(`${configuration}: rep ${repetition} done earlier`);
        const stored = await readJsonValidated(repetitionFile(rawDir), repetitionFileSchema, `Delete ${rawDir} and resume to measure this repetition again.`);
        measurements.push(...stored.measurements);
      }
      configurations.push({ configuration, status: 'ran', repetitions: ctx.options.reps, measurements });
    } catch (error) {
      const reason = (error as Error).message;
      log(`failed: ${reason}`);
      configurations.push({ configuration, status: 'failed', reason: reason.split('\n')[0]! });
    }
  }
  const result: ResultFile = { schema: 'vmm-netboot/result@1', experiment: experiment.id, figure: experiment.figure, configurations };
  const checked = resultFileSchema.safeParse(result);
  if (!checked.success) throw new Error(`${experiment.id}: parsed results do not match the result schema: ${checked.error.issues[0]?.path.join('.')}: ${checked.error.issues[0]?.message}`);
  await writeJsonAtomic(path.join(ctx.layout.results, `${experiment.id}.json`), checked.data);
  return checked.data;
}

/** What decides a repetition's outcome: the options, the binaries and images used, and the experiment's code. */
function repetitionInputs(experiment: Experiment, ctx: ExperimentStageContext): string {
  return hashInputs(
    { quick: ctx.options.quick, testbed: ctx.options.testbed },
    hashFile(paths.vmmElf),
    hashFile(paths.vblade),
    ctx.guestImages.map((image) => [image.variant, image.path, image.packages.length]),
    hashSourceTree(path.join(repoRoot, 'experiments', experiment.id)),
  );
}

/** Reads a run's results/<experiment>.json, rejecting malformed files with what to do. */
export async function readResult(layout: RunLayout, experimentId: string): Promise<ResultFile | undefined> {
  const file = path.join(layout.results, `${experimentId}.json`);
  try {
    await readFile(file);
  } catch {
    return undefined;
  }
  return readJsonValidated(file, resultFileSchema, `Rerun the experiment (npm run reproduce -- --only ${experimentId}) to rewrite it.`);
}
