import { existsSync } from 'node:fs';
import { mkdir, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { firstMissing, type CapabilityId } from '../core/capabilities.js';
import { notOnHardware, type ConfigurationId } from '../core/configurations.js';
import type { ClientTestbed, Experiment, RepetitionContext, Runner } from '../core/experiment.js';
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
  /** Default: the emulated testbed. */
  testbed?: ClientTestbed;
  guestImages: readonly GuestImage[];
  /** Capabilities this run took away, e.g. after the hypervisor failed to build. */
  blocked?: ReadonlyMap<CapabilityId, string>;
  progress: (text: string) => void;
}

const repetitionFile = (rawDir: string) => path.join(rawDir, 'measurements.json');

type Plan = NonNullable<Experiment['configurations'][ConfigurationId]>;

/**
 * Runs every repetition of every configuration whose machinery exists, resuming finished
 * repetitions; writes results/<experiment>.json (validated). A configuration that cannot run is
 * recorded 'not run' with the reason; one that throws is recorded 'failed', its later repetitions
 * are skipped, and the others go on.
 *
 * Repetitions are interleaved across configurations (round r runs every configuration once, the
 * order rotated by r) so that drift in the machine's speed during a run, which on a shared host is
 * larger than the differences measured, spreads over all configurations instead of biasing
 * whichever ran last.
 */
export async function runExperiment(experiment: Experiment, ctx: ExperimentStageContext): Promise<ResultFile> {
  const outcomes = new Map<ConfigurationId, ConfigurationResult>();
  const runnable: { configuration: ConfigurationId; runner: Runner; measurements: Measurement[] }[] = [];
  for (const [configuration, plan] of Object.entries(experiment.configurations) as [ConfigurationId, Plan][]) {
    const missing = firstMissing(plan.needs, ctx.blocked);
    const elsewhere = notRunHere(configuration, ctx);
    if (elsewhere !== undefined) outcomes.set(configuration, { configuration, status: 'not-run', reason: elsewhere });
    else if (missing) outcomes.set(configuration, { configuration, status: 'not-run', reason: missing.reason });
    else if (!plan.runner) outcomes.set(configuration, { configuration, status: 'not-run', reason: 'the artifact has no runner for this configuration yet' });
    else runnable.push({ configuration, runner: plan.runner, measurements: [] });
  }
  for (let repetition = 1; repetition <= ctx.options.reps; repetition++) {
    for (const entry of rotate(runnable, repetition - 1)) {
      if (outcomes.has(entry.configuration)) continue;
      const log = stepLogger(ctx.layout.logs, `experiment-${experiment.id}-${entry.configuration}`);
      try {
        entry.measurements.push(...(await runRepetition(experiment, ctx, entry.configuration, entry.runner, repetition, log)));
      } catch (error) {
        const reason = (error as Error).message;
        log(`failed: ${reason}`);
        outcomes.set(entry.configuration, { configuration: entry.configuration, status: 'failed', reason: reason.split('\n')[0]! });
      }
    }
  }
  for (const entry of runnable) {
    if (!outcomes.has(entry.configuration)) outcomes.set(entry.configuration, { configuration: entry.configuration, status: 'ran', repetitions: ctx.options.reps, measurements: entry.measurements });
  }
  // Results list configurations in the experiment's order, whatever order they ran in.
  const configurations = (Object.keys(experiment.configurations) as ConfigurationId[]).map((configuration) => outcomes.get(configuration)!);
  const result: ResultFile = { schema: 'vmm-netboot/result@1', experiment: experiment.id, figure: experiment.figure, configurations };
  const checked = resultFileSchema.safeParse(result);
  if (!checked.success) throw new Error(`${experiment.id}: parsed results do not match the result schema: ${checked.error.issues[0]?.path.join('.')}: ${checked.error.issues[0]?.message}`);
  await writeJsonAtomic(path.join(ctx.layout.results, `${experiment.id}.json`), checked.data);
  return checked.data;
}

/** Why a configuration is not run in this run although it could be: deselected, or impossible on this testbed. */
export function notRunHere(configuration: ConfigurationId, ctx: Pick<ExperimentStageContext, 'options' | 'testbed'>): string | undefined {
  const impossible = ctx.testbed?.kind === 'hardware' ? notOnHardware[configuration] : undefined;
  if (impossible !== undefined) return `not on a hardware testbed: it ${impossible}`;
  const selected = ctx.options.configurations;
  return selected != null && !selected.includes(configuration) ? `not selected (--configurations ${selected.join(' ')})` : undefined;
}

/** One repetition of one configuration, measured once and then read back from its raw folder. */
async function runRepetition(
  experiment: Experiment,
  ctx: ExperimentStageContext,
  configuration: ConfigurationId,
  runner: Runner,
  repetition: number,
  log: (line: string) => void,
): Promise<Measurement[]> {
  const rawDir = path.join(ctx.layout.raw, experiment.id, configuration, `rep-${repetition}`);
  const repetitionContext: RepetitionContext = {
    experimentId: experiment.id,
    configuration,
    repetition,
    options: ctx.options,
    testbed: ctx.testbed ?? { kind: 'emulated' },
    rawDir,
    guestImages: ctx.guestImages,
    log,
    progress: (text) => ctx.progress(`rep ${repetition}/${ctx.options.reps} ${configuration}: ${text}`),
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
  if (ran === 'skipped') repetitionContext.progress('done earlier');
  const stored = await readJsonValidated(repetitionFile(rawDir), repetitionFileSchema, `Delete ${rawDir} and resume to measure this repetition again.`);
  return stored.measurements;
}

/** The items starting at index `by` (mod length), wrapping around. */
export function rotate<T>(items: readonly T[], by: number): T[] {
  if (items.length === 0) return [];
  const start = by % items.length;
  return [...items.slice(start), ...items.slice(0, start)];
}

/** What decides a repetition's outcome: the options, the binaries and images used, and the experiment's code. */
function repetitionInputs(experiment: Experiment, ctx: ExperimentStageContext): string {
  return hashInputs(
    { quick: ctx.options.quick, testbed: ctx.options.testbed, hardware: ctx.testbed?.kind === 'hardware' ? ctx.testbed.description : null },
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
