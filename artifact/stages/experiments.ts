// SPDX-License-Identifier: MIT
import { existsSync, readdirSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rename, symlink } from 'node:fs/promises';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { hostActivity, sampleHost, type HostActivity } from '../core/host-activity.js';
import { firstMissing, type CapabilityId } from '../core/capabilities.js';
import {
  isDiskSweepConfiguration,
  isStormConfiguration,
  stormExperimentId,
  notOnHardware,
  sweepExperimentIds,
  type ConfigurationId,
} from '../core/configurations.js';
import { Lanes } from '../core/lanes.js';
import type {
  ClientTestbed,
  Experiment,
  JobWork,
  Lane,
  MeasurementWithoutRepetition,
  RepetitionContext,
  Runner,
  SessionBoot,
  SessionJobFile,
  SessionRunner,
  StandaloneRunner,
} from '../core/experiment.js';
import { writeJobFile } from '../images/index.js';
import { ConsoleSilentError } from '../testbed/console.js';
import { readJsonValidated, writeJsonAtomic } from '../core/json-file.js';
import type { DiskProfileRecord } from '../core/disk-profile.js';
import type { GuestImage } from '../core/manifest.js';
import type { RunOptions } from '../core/options.js';
import { paths, repoRoot, type RunLayout } from '../core/paths.js';
import {
  repetitionFileSchema,
  resultFileSchema,
  type ConfigurationResult,
  type Measurement,
  type RepetitionFile,
  type ResultFile,
} from '../core/results-schema.js';
import { hashFile, hashInputs, type StepLedger } from '../core/step-ledger.js';
import { stepLogger } from '../core/step-log.js';
import { hashSources } from '../core/tree-hash.js';

export interface ExperimentStageContext {
  layout: RunLayout;
  ledger: StepLedger;
  options: RunOptions;
  /** Default: the emulated testbed. */
  testbed?: ClientTestbed;
  guestImages: readonly GuestImage[];
  /** What --profile resolved to (reproduce's disk profile step). */
  diskProfile?: DiskProfileRecord;
  /** Capabilities this run took away, e.g. after the hypervisor failed to build. */
  blocked?: ReadonlyMap<CapabilityId, string>;
  progress: (text: string) => void;
}

const repetitionFile = (rawDir: string) => path.join(rawDir, 'measurements.json');
/** In an experiment's raw folder of a boot session's part: which session measured it. */
export const sessionRecordFile = 'session.json';

type Plan = NonNullable<Experiment['configurations'][ConfigurationId]>;

/** One experiment's share of one configuration, over all repetitions. */
interface Part {
  experiment: Experiment;
  configuration: ConfigurationId;
  runner: Runner;
  measurements: Measurement[];
  /** What else the host did while each repetition was measured. */
  hostActivity: HostActivity[];
  /** Set when a repetition failed: later repetitions are skipped and the result says why. */
  failure?: string;
}

/**
 * What runs in one repetition: a boot session (one boot of a configuration serving the parts of
 * every experiment that uses it, in the experiments' figure order) or a standalone configuration.
 */
export type RunUnit =
  | { kind: 'session'; configuration: ConfigurationId; boot: SessionBoot; parts: Part[] }
  | { kind: 'standalone'; part: Part };

export interface ExperimentPlan {
  /** Every unit of one repetition, in the order repetition 1 runs them (later ones rotate it). */
  units: readonly RunUnit[];
  /** The units of repetition `repetition` (1-based), interleaved: the order rotated by repetition - 1. */
  unitsOf: (repetition: number) => readonly RunUnit[];
  /** Runs one unit in one repetition, resuming what finished earlier. */
  run: (unit: RunUnit, repetition: number, progress: (text: string) => void) => Promise<void>;
  /** Writes results/<experiment>.json for every experiment (validated) and returns them. */
  finish: () => Promise<ResultFile[]>;
}

/** A unit's name in progress lines. */
export function describeUnit(unit: RunUnit): string {
  if (unit.kind === 'standalone') return `${unit.part.configuration} (${unit.part.experiment.id}, its own boot)`;
  return `boot session ${unit.configuration}: ${unit.parts.map((part) => `Fig. ${part.experiment.figure}`).join(', ')}`;
}

/**
 * Plans every repetition of every configuration whose machinery exists. A configuration that
 * cannot run is recorded 'not run' with the reason; one that throws is recorded 'failed', its later
 * repetitions are skipped, and the others go on.
 *
 * Boot sessions: configurations with a session runner are booted once per repetition, and that
 * boot serves every selected experiment that measures the configuration: the boot-time figures
 * (4, 6, 10) from the boot itself, then each job (Figs 5, 7, 8, 9, 11) in figure order in the same
 * guest (experiments/shared/boot-session.ts). Two experiments asking for the same job (Figs 5 and
 * 11 on vmm-aoe-cache-on) share its one run. With --boot-per-experiment every part boots alone.
 *
 * Repetitions are interleaved across units (round r runs every unit once, the order rotated by r)
 * so that drift in the machine's speed during a run, which on a shared host is larger than the
 * differences measured, spreads over all configurations instead of biasing whichever ran last.
 */
export function planExperiments(experiments: readonly Experiment[], ctx: ExperimentStageContext): ExperimentPlan {
  const outcomes = new Map<string, ConfigurationResult>();
  const key = (experiment: Experiment, configuration: ConfigurationId) => `${experiment.id}/${configuration}`;
  const parts: Part[] = [];
  for (const experiment of experiments) {
    for (const [configuration, plan] of Object.entries(experiment.configurations) as [ConfigurationId, Plan][]) {
      const missing = firstMissing(plan.needs, ctx.blocked);
      const elsewhere = notRunHere(configuration, ctx);
      const notRun = (reason: string) =>
        outcomes.set(key(experiment, configuration), { configuration, status: 'not-run', reason });
      if (elsewhere !== undefined) notRun(elsewhere);
      else if (missing) notRun(missing.reason);
      else if (!plan.runner) notRun('the artifact has no runner for this configuration yet');
      else parts.push({ experiment, configuration, runner: plan.runner, measurements: [], hostActivity: [] });
    }
  }
  const units: RunUnit[] = [];
  for (const part of parts) {
    if (!('session' in part.runner)) {
      units.push({ kind: 'standalone', part });
      continue;
    }
    const boot = part.runner.session.boot;
    const shared = ctx.options.bootPerExperiment
      ? undefined
      : units.find((unit) => unit.kind === 'session' && unit.configuration === part.configuration);
    if (shared?.kind === 'session') {
      if (shared.boot !== boot)
        throw new Error(
          `${part.experiment.id} boots ${part.configuration} differently from ${shared.parts[0]!.experiment.id}: configurations must boot one way (experiments/shared/client-configurations.ts)`,
        );
      shared.parts.push(part);
    } else {
      units.push({ kind: 'session', configuration: part.configuration, boot, parts: [part] });
    }
  }
  // Jobs run in figure order inside a session; the boot parts are measured from the boot itself.
  for (const unit of units)
    if (unit.kind === 'session') unit.parts.sort((a, b) => a.experiment.figure - b.experiment.figure);

  const lanes = new Lanes(ctx.options.jobs ?? 1);
  // Boot times are the measurement most moved by a second PC on the host: they run alone.
  const alone = (unit: RunUnit) =>
    !ctx.options.parallelBoots &&
    unit.kind === 'session' &&
    unit.parts.some((part) => (part.runner as SessionRunner).session.work.kind === 'boot');

  const run = (unit: RunUnit, repetition: number, progress: (text: string) => void) =>
    lanes.run(alone(unit), (lane) => runInLane(unit, repetition, lane, progress));

  const runInLane = async (
    unit: RunUnit,
    repetition: number,
    lane: Lane | undefined,
    progress: (text: string) => void,
  ) => {
    const prefix = `rep ${repetition}/${ctx.options.reps}${lane === undefined ? '' : `, lane ${lane.index} (CPUs ${lane.cpus})`}`;
    if (unit.kind === 'standalone') {
      const { part } = unit;
      if (part.failure !== undefined) return progress(`${prefix}: skipped, failed in an earlier repetition`);
      const log = stepLogger(ctx.layout.logs, `experiment-${part.experiment.id}-${part.configuration}`);
      try {
        record(part, await runStandalone(part, ctx, repetition, lane, log, (text) => progress(`${prefix}: ${text}`)));
      } catch (error) {
        const reason = (error as Error).message;
        log(`failed: ${reason}`);
        part.failure = reason.split('\n')[0]!;
      }
      return;
    }
    await runSession(unit, ctx, repetition, lane, (text) => progress(`${prefix}: ${text}`));
  };

  const finish = async () => {
    const results: ResultFile[] = [];
    for (const part of parts) {
      const { experiment, configuration } = part;
      outcomes.set(
        key(experiment, configuration),
        part.failure !== undefined
          ? { configuration, status: 'failed', reason: part.failure }
          : {
              configuration,
              status: 'ran',
              repetitions: ctx.options.reps,
              measurements: part.measurements,
              ...(part.hostActivity.length > 0 ? { hostActivity: part.hostActivity } : {}),
            },
      );
    }
    for (const experiment of experiments) {
      // Results list configurations in the experiment's order, whatever order they ran in.
      const configurations = (Object.keys(experiment.configurations) as ConfigurationId[]).map((configuration) =>
        outcomes.get(key(experiment, configuration))!,
      );
      const result: ResultFile = {
        schema: 'vmm-netboot/result@1',
        experiment: experiment.id,
        figure: experiment.figure,
        configurations,
      };
      const checked = resultFileSchema.safeParse(result);
      if (!checked.success)
        throw new Error(
          `${experiment.id}: parsed results do not match the result schema: ${checked.error.issues[0]?.path.join('.')}: ${checked.error.issues[0]?.message}`,
        );
      await writeJsonAtomic(path.join(ctx.layout.results, `${experiment.id}.json`), checked.data);
      results.push(checked.data);
    }
    return results;
  };

  return { units, unitsOf: (repetition) => rotate(units, repetition - 1), run, finish };
}

/** Every repetition of every unit (in lanes with --jobs), then the results: the whole stage without a progress list. */
export async function runExperiments(
  experiments: readonly Experiment[],
  ctx: ExperimentStageContext,
): Promise<ResultFile[]> {
  const plan = planExperiments(experiments, ctx);
  for (let repetition = 1; repetition <= ctx.options.reps; repetition++) {
    await Promise.all(plan.unitsOf(repetition).map((unit) => plan.run(unit, repetition, ctx.progress)));
  }
  return plan.finish();
}

/** One experiment alone (its configurations still share boots among themselves only). */
export async function runExperiment(experiment: Experiment, ctx: ExperimentStageContext): Promise<ResultFile> {
  return (await runExperiments([experiment], ctx))[0]!;
}

/** Why a configuration is not run in this run although it could be: deselected, or impossible on this testbed. */
export function notRunHere(
  configuration: ConfigurationId,
  ctx: Pick<ExperimentStageContext, 'options' | 'testbed'>,
): string | undefined {
  const impossible = ctx.testbed?.kind === 'hardware' ? notOnHardware[configuration] : undefined;
  if (impossible !== undefined) return `not on a hardware testbed: it ${impossible}`;
  const selected = ctx.options.configurations;
  if (selected != null && !selected.includes(configuration))
    return `not selected (--configurations ${selected.join(' ')})`;
  if (ctx.options.smoke && configuration === 'kvm-nfs')
    return 'not run: --smoke skips the KVM + NFS baseline (a nested guest under TCG, about 17 min); run --quick or a full run for it';
  if (ctx.options.smoke && configuration === 'vmm-aoe-jumbo-cache-off')
    return 'not run: --smoke runs the jumbo-frame rows with the server cache on only; run --quick or a full run for this one';
  if (ctx.options.smoke && configuration.startsWith('vmm-aoe-parallel-'))
    return 'not run: --smoke leaves out the parallel-server rows (beyond the paper; vmm/test/vmm-aoe-overlays boots from that server in the tests); run --quick or a full run for them';
  // The sweep boots the client once per disk speed: a full run's part, or asked for by name.
  if (
    ctx.options.quick &&
    isDiskSweepConfiguration(configuration) &&
    !askedFor(ctx.options, sweepExperimentIds, isDiskSweepConfiguration)
  )
    return `not run: --${ctx.options.smoke ? 'smoke' : 'quick'} leaves out the disk-speed sweep (6 boots per repetition, the slowest about 2.5 min); name it to run it (--only fig12 --only fig13, or --configurations ${configuration})`;
  // The storm boots real PCs and replays up to 64 boots per repetition (about 7-10 min per
  // configuration). --smoke checks its chain once, with one server (one real boot, one replay).
  if (
    ctx.options.quick &&
    isStormConfiguration(configuration) &&
    !askedFor(ctx.options, [stormExperimentId], isStormConfiguration)
  ) {
    if (!ctx.options.smoke)
      return `not run: --quick leaves out the boot storm (real boots and up to 64 replayed boots per repetition); name it to run it (--only fig14, or --configurations ${configuration})`;
    if (configuration !== smokeStormConfiguration)
      return `not run: --smoke runs the boot storm with ${smokeStormConfiguration} only (one real boot, one replay); name it to run it (--only fig14, or --configurations ${configuration})`;
  }
  return undefined;
}

/** The boot storm's one configuration in a --smoke run. */
const smokeStormConfiguration: ConfigurationId = 'storm-parallel-cache-on';

/** --only naming one of `experimentIds`, or --configurations naming a configuration of the group. */
function askedFor(
  options: RunOptions,
  experimentIds: readonly string[],
  inGroup: (id: ConfigurationId) => boolean,
): boolean {
  return (
    (options.only ?? []).some((name) => experimentIds.some((id) => id === name || id.startsWith(`${name}-`))) ||
    (options.configurations ?? []).some(inGroup)
  );
}

const rawDirOf = (ctx: ExperimentStageContext, part: Pick<Part, 'experiment' | 'configuration'>, repetition: number) =>
  path.join(ctx.layout.raw, part.experiment.id, part.configuration, `rep-${repetition}`);
const stepOf = (part: Pick<Part, 'experiment' | 'configuration'>, repetition: number) =>
  `experiment/${part.experiment.id}/${part.configuration}/rep-${repetition}`;

function repetitionContext(
  ctx: ExperimentStageContext,
  at: { experimentId: string; configuration: ConfigurationId; repetition: number; lane: Lane | undefined },
  rawDir: string,
  log: (line: string) => void,
  progress: (text: string) => void,
): RepetitionContext {
  const { lane, ...where } = at;
  return {
    ...where,
    options: ctx.options,
    testbed: ctx.testbed ?? { kind: 'emulated' },
    rawDir,
    guestImages: ctx.guestImages,
    ...(ctx.diskProfile === undefined ? {} : { diskProfile: ctx.diskProfile }),
    log,
    progress,
    ...(lane === undefined ? {} : { lane }),
  };
}

/** A raw folder about to be written: an earlier attempt that did not finish keeps its logs beside it, for diagnosis. */
async function freshRawDir(rawDir: string): Promise<void> {
  if (existsSync(rawDir)) await rename(rawDir, `${rawDir}.attempt-${new Date().toISOString().replaceAll(':', '')}`);
  await mkdir(rawDir, { recursive: true });
}

/**
 * Moves the files a stalled boot left in its session folder into stalled-attempt/ inside it, for
 * diagnosis, so the second boot writes its own logs under the same names; the jobs stay.
 */
async function keepStalledAttempt(sessionDir: string): Promise<string> {
  const kept = path.join(sessionDir, 'stalled-attempt');
  await mkdir(kept);
  for (const entry of await readdir(sessionDir, { withFileTypes: true }))
    if (entry.isFile()) await rename(path.join(sessionDir, entry.name), path.join(kept, entry.name));
  return kept;
}

/** Whether a part's repetition finished earlier with the same inputs; a repetition whose measurements were deleted is measured again. */
async function finishedEarlier(ctx: ExperimentStageContext, part: Part, repetition: number): Promise<boolean> {
  const step = stepOf(part, repetition);
  if (!existsSync(repetitionFile(rawDirOf(ctx, part, repetition)))) await ctx.ledger.forget(step);
  return ctx.ledger.isDone(step, repetitionInputs(part.experiment, ctx));
}

function storedMeasurements(rawDir: string): Promise<RepetitionFile> {
  return readJsonValidated(
    repetitionFile(rawDir),
    repetitionFileSchema,
    `Delete ${rawDir} and resume to measure this repetition again.`,
  );
}

async function writeMeasurements(
  rawDir: string,
  measurements: readonly MeasurementWithoutRepetition[],
  repetition: number,
  hostActivity: HostActivity,
): Promise<void> {
  await writeJsonAtomic(repetitionFile(rawDir), {
    measurements: measurements.map((m) => ({ ...m, repetition })),
    hostActivity,
  });
}

/** Adds one repetition's measurements (and what the host did meanwhile) to its part. */
function record(part: Part, stored: RepetitionFile): void {
  part.measurements.push(...stored.measurements);
  if (stored.hostActivity !== undefined) part.hostActivity.push(stored.hostActivity);
}

/** One repetition of a standalone configuration, measured once and then read back from its raw folder. */
async function runStandalone(
  part: Part,
  ctx: ExperimentStageContext,
  repetition: number,
  lane: Lane | undefined,
  log: (line: string) => void,
  progress: (text: string) => void,
): Promise<RepetitionFile> {
  const runner = part.runner as StandaloneRunner;
  const rawDir = rawDirOf(ctx, part, repetition);
  const step = stepOf(part, repetition);
  if (await finishedEarlier(ctx, part, repetition)) {
    progress('done earlier');
    return storedMeasurements(rawDir);
  }
  const started = performance.now();
  await freshRawDir(rawDir);
  log(`${step}: start`);
  const before = sampleHost();
  await runner.run(
    repetitionContext(
      ctx,
      { experimentId: part.experiment.id, configuration: part.configuration, repetition, lane },
      rawDir,
      log,
      progress,
    ),
  );
  const activity = hostActivity(before, sampleHost(), process.pid, repetition);
  const parsed = await runner.parse(rawDir);
  await writeMeasurements(rawDir, parsed, repetition, activity);
  log(`${step}: ${parsed.length} measurements`);
  await ctx.ledger.markDone(step, repetitionInputs(part.experiment, ctx), (performance.now() - started) / 1000);
  return storedMeasurements(rawDir);
}

/** A job of a session, and the parts it measures (several experiments may ask for the same job). */
interface SessionJob extends SessionJobFile {
  parts: Part[];
  work: JobWork;
  ctx: RepetitionContext;
}

/**
 * One repetition of a boot session: boots the configuration once with the jobs of its parts that
 * have not finished, runs them in order, and then gives each part its own raw folder (links to the
 * session's logs, its job, and session.json naming the session), parses it, and records it. A part
 * whose work did not complete (the boot or its job failed) is failed with the session's error. A
 * boot whose console went silent before login (ConsoleSilentError: a stalled guest) is booted
 * again once, its logs kept in the session's stalled-attempt/ and named in each part's session.json.
 */
async function runSession(
  unit: Extract<RunUnit, { kind: 'session' }>,
  ctx: ExperimentStageContext,
  repetition: number,
  lane: Lane | undefined,
  progress: (text: string) => void,
): Promise<void> {
  const live = unit.parts.filter((part) => part.failure === undefined);
  const pending: Part[] = [];
  for (const part of live) {
    if (await finishedEarlier(ctx, part, repetition))
      record(part, await storedMeasurements(rawDirOf(ctx, part, repetition)));
    else pending.push(part);
  }
  if (pending.length === 0)
    return progress(live.length === 0 ? 'skipped: its parts failed in an earlier repetition' : 'done earlier');

  const sessionName = `${unit.configuration}/rep-${repetition}`;
  const sessionDir = path.join(ctx.layout.raw, 'sessions', unit.configuration, `rep-${repetition}`);
  const log = stepLogger(ctx.layout.logs, `session-${unit.configuration}`);
  await freshRawDir(sessionDir);
  const sessionCtx = repetitionContext(
    ctx,
    { experimentId: 'session', configuration: unit.configuration, repetition, lane },
    sessionDir,
    log,
    progress,
  );

  const jobs: SessionJob[] = [];
  for (const part of pending) {
    const work = (part.runner as SessionRunner).session.work;
    if (work.kind !== 'job') continue;
    const partCtx = repetitionContext(
      ctx,
      { experimentId: part.experiment.id, configuration: part.configuration, repetition, lane },
      rawDirOf(ctx, part, repetition),
      log,
      progress,
    );
    const tasks = work.tasks(partCtx);
    const same = jobs.find((job) => isDeepStrictEqual(job.work.tasks(job.ctx), tasks));
    if (same !== undefined) {
      same.parts.push(part);
      continue;
    }
    const id = `${part.experiment.id}-${part.configuration}-rep${repetition}`;
    const file = await writeJobFile(
      { version: 1, id, seed: repetition, powerOff: false, ...tasks },
      path.join(sessionDir, 'jobs', id),
    );
    jobs.push({ id, path: file.path, parts: [part], work, ctx: partCtx });
  }

  let started = performance.now();
  let sessionStart = sampleHost();
  /** Per part: how long its work took, and what else the host did meanwhile. */
  const took = new Map<Part, { seconds: number; activity: HostActivity }>();
  let sessionError: string | undefined;
  log(
    `session ${sessionName}: start; parts ${pending.map((part) => part.experiment.id).join(', ')}; jobs ${jobs.map((job) => job.id).join(', ') || 'none'}`,
  );
  const bootOnce = () =>
    unit.boot(sessionCtx, jobs, async (client) => {
      const booted = (performance.now() - started) / 1000;
      const bootActivity = hostActivity(sessionStart, sampleHost(), process.pid, repetition);
      for (const part of pending)
        if ((part.runner as SessionRunner).session.work.kind === 'boot')
          took.set(part, { seconds: booted, activity: bootActivity });
      // Progress: the job running now, after the time each earlier step of the session took.
      const done = [`boot ${booted.toFixed(0)} s`];
      for (const job of jobs) {
        const jobStarted = performance.now();
        const jobStart = sampleHost();
        const figures = job.parts.map((part) => `Fig. ${part.experiment.figure}`).join(' + ');
        progress(`${figures}: ${job.work.describe} (done: ${done.join(', ')})`);
        await client.runJob(job, job.work.timeoutMs(job.ctx));
        const seconds = (performance.now() - jobStarted) / 1000;
        const activity = hostActivity(jobStart, sampleHost(), process.pid, repetition);
        for (const part of job.parts) took.set(part, { seconds, activity });
        done.push(`${figures} ${seconds.toFixed(0)} s`);
      }
      log(`session ${sessionName}: ${done.join(', ')}`);
    });
  /** Where a boot that stalled before login left its logs, when the session booted again. */
  let stalledAttempt: string | undefined;
  try {
    try {
      await bootOnce();
    } catch (error) {
      if (!(error instanceof ConsoleSilentError) || took.size > 0) throw error;
      stalledAttempt = await keepStalledAttempt(sessionDir);
      log(
        `session ${sessionName}: the boot stalled (${error.message.split('\n')[0]}); booting again once, the stalled attempt's logs in ${path.relative(ctx.layout.root, stalledAttempt)}`,
      );
      progress('the boot stalled; booting again');
      started = performance.now();
      sessionStart = sampleHost();
      await bootOnce();
    }
  } catch (error) {
    sessionError = (error as Error).message;
    log(`session ${sessionName} failed: ${sessionError}`);
  }
  await ctx.ledger.markDone(
    `session/${sessionName}`,
    repetitionInputs(pending[0]!.experiment, ctx),
    (performance.now() - started) / 1000,
  );

  const sessionFiles = (await readdir(sessionDir, { withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name);
  for (const part of pending) {
    const measured = took.get(part);
    if (measured === undefined) {
      part.failure = (sessionError ?? 'the boot session ended before this part ran').split('\n')[0]!;
      continue;
    }
    const rawDir = rawDirOf(ctx, part, repetition);
    const job = jobs.find((candidate) => candidate.parts.includes(part));
    try {
      await freshRawDir(rawDir);
      for (const name of sessionFiles)
        await symlink(path.relative(rawDir, path.join(sessionDir, name)), path.join(rawDir, name));
      if (job !== undefined) await copyFile(job.path, path.join(rawDir, 'job.json'));
      await writeJsonAtomic(path.join(rawDir, sessionRecordFile), {
        session: path.relative(ctx.layout.root, sessionDir),
        parts: pending.map((other) => other.experiment.id),
        job: job?.id ?? null,
        seconds: measured.seconds,
        ...(stalledAttempt === undefined ? {} : { stalledAttempt: path.relative(ctx.layout.root, stalledAttempt) }),
      });
      const parsed = await part.runner.parse(rawDir);
      await writeMeasurements(rawDir, parsed, repetition, measured.activity);
      log(
        `${stepOf(part, repetition)}: ${parsed.length} measurements from session ${sessionName}${measured.activity.disturbed ? `; disturbed: ${measured.activity.disturbed}` : ''}`,
      );
      await ctx.ledger.markDone(stepOf(part, repetition), repetitionInputs(part.experiment, ctx), measured.seconds);
      record(part, await storedMeasurements(rawDir));
    } catch (error) {
      part.failure = (error as Error).message.split('\n')[0]!;
      log(`${stepOf(part, repetition)} failed: ${(error as Error).message}`);
    }
  }
}

/** The items starting at index `by` (mod length), wrapping around. */
export function rotate<T>(items: readonly T[], by: number): T[] {
  if (items.length === 0) return [];
  const start = by % items.length;
  return [...items.slice(start), ...items.slice(0, start)];
}

/**
 * The code a repetition of `experimentId` runs, relative to the repository: its experiment, the
 * shared runners and configuration table, the server and testbed drivers, and this stage (the
 * binaries and guest images are hashed apart). A change in any of them measures the repetition
 * again on resume, so a run never mixes results of old and new code.
 */
export function repetitionCode(experimentId: string): string[] {
  const serverDrivers = readdirSync(path.join(repoRoot, 'server'))
    .filter((name) => name.endsWith('.ts'))
    .map((name) => `server/${name}`);
  return [
    `experiments/${experimentId}`,
    'experiments/shared',
    'artifact/testbed',
    'artifact/stages/experiments.ts',
    ...serverDrivers.sort(),
  ];
}

/** What decides a repetition's outcome: the options, the binaries and images used, and the code it runs. */
function repetitionInputs(
  experiment: Experiment,
  ctx: Pick<ExperimentStageContext, 'options' | 'testbed' | 'guestImages'>,
): string {
  return hashInputs(
    {
      quick: ctx.options.quick,
      smoke: ctx.options.smoke ?? false,
      bootSessions: !ctx.options.bootPerExperiment,
      testbed: ctx.options.testbed,
      hardware: ctx.testbed?.kind === 'hardware' ? ctx.testbed.description : null,
    },
    hashFile(paths.vmmElf),
    hashFile(paths.vblade),
    ctx.guestImages.map((image) => [image.variant, image.path, image.packages.length]),
    hashSources(repoRoot, repetitionCode(experiment.id)),
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
  return readJsonValidated(
    file,
    resultFileSchema,
    `Rerun the experiment (npm run reproduce -- --only ${experimentId}) to rewrite it.`,
  );
}
