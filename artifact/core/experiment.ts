// SPDX-License-Identifier: MIT
import type { CapabilityId } from './capabilities.js';
import type { ConfigurationId } from './configurations.js';
import type { PaperValue } from './paper-data.js';
import type { GuestImage } from './manifest.js';
import type { DiskProfileRecord } from './disk-profile.js';
import type { Measurement } from './results-schema.js';
import type { ExperimentAnalysis } from './analysis.js';
import type { RunOptions } from './options.js';
import type { HardwareTestbed } from '../testbed/hardware/client.js';
import type { BenchJob } from '../images/index.js';

/** Where the client PC is: a QEMU PC started per power-on, or the described hardware (or qemu-sim). */
export type ClientTestbed = { kind: 'emulated' } | HardwareTestbed;

export interface MetricInfo {
  label: string;
  unit: string;
  better: 'higher' | 'lower';
  /** CrystalDiskMark style: each repetition reports the best of its passes. */
  bestOfPasses?: boolean;
}

/** Everything one repetition of one configuration needs; raw output goes to rawDir. */
export interface RepetitionContext {
  experimentId: string;
  configuration: ConfigurationId;
  repetition: number;
  options: RunOptions;
  testbed: ClientTestbed;
  rawDir: string;
  /** Guest images the provision stage made (the manifest lists them). */
  guestImages: readonly GuestImage[];
  /** What --profile resolved to (the disk profile step); absent: derived from the options (diskModelScale). */
  diskProfile?: DiskProfileRecord;
  /** Appends a line to this step's log in the run folder. */
  log: (line: string) => void;
  /** Short progress text shown beside the step's timer. */
  progress: (text: string) => void;
  /** With `reproduce --jobs N` (N > 1): the lane this repetition runs in and the CPUs its client PC may use. */
  lane?: Lane;
}

/** One of the lanes `reproduce --jobs N` runs client PCs in, each on CPUs of its own. */
export interface Lane {
  index: number;
  /** A taskset CPU list, e.g. "2-3". */
  cpus: string;
}

/**
 * A name for what one repetition creates on the host (a network namespace): unique per process,
 * repetition and lane, so that repetitions running at once in lanes never share one.
 */
export const hostScopedName = (prefix: string, ctx: Pick<RepetitionContext, 'repetition' | 'lane'>) =>
  `${prefix}-${process.pid}-${ctx.repetition}${ctx.lane === undefined ? '' : `-l${ctx.lane.index}`}`;

export type MeasurementWithoutRepetition = Omit<Measurement, 'repetition'>;

/** A benchmark job's tasks (fio, rtt, apps); the stage adds the id, seed and power-off. */
export type JobTasks = Omit<BenchJob, 'version' | 'id' | 'seed' | 'powerOff'>;

/**
 * What one experiment does in a booted client: measure the boot itself (Figs 4, 6, 10), or run a
 * benchmark job in the guest once it has reached its login prompt (Figs 5, 7, 8, 9, 11).
 */
export type SessionWork = { kind: 'boot' } | JobWork;

export interface JobWork {
  kind: 'job';
  /** What the job does, for progress lines. */
  describe: string;
  tasks: (ctx: RepetitionContext) => JobTasks;
  timeoutMs: (ctx: RepetitionContext) => number;
}

/** A job handed to a boot session: its file on the host and the id its frames carry. */
export interface SessionJobFile {
  id: string;
  /** The job's JSON on the host (validated by writeJobFile). */
  path: string;
}

/** A client booted to its login prompt; it runs the session's jobs, one at a time, in its root shell. */
export interface BootedClient {
  /** Runs the job (one of those the session was booted with) and resolves when its job-end frame arrived. */
  runJob(job: SessionJobFile, timeoutMs: number): Promise<void>;
}

/**
 * Boots one configuration's client (server, wire, hypervisor, disk as the configuration has them)
 * with `jobs` available to the guest, calls `body` once the guest's login prompt appeared, and
 * powers the client off afterwards. Raw output goes to ctx.rawDir (the session's folder).
 */
export type SessionBoot = (
  ctx: RepetitionContext,
  jobs: readonly SessionJobFile[],
  body: (client: BootedClient) => Promise<void>,
) => Promise<void>;

/**
 * A configuration measured inside a boot session: one boot of the configuration per repetition
 * serves every experiment that uses it (artifact/stages/experiments.ts). `boot` is the
 * configuration's (the same function for every experiment), `work` is this experiment's part.
 */
export interface SessionRunner {
  session: { boot: SessionBoot; work: SessionWork };
  parse: (rawDir: string) => Promise<MeasurementWithoutRepetition[]>;
}

/** A configuration measured on its own: run powers on what it needs and writes raw files; parse reads them. */
export interface StandaloneRunner {
  run: (ctx: RepetitionContext) => Promise<void>;
  parse: (rawDir: string) => Promise<MeasurementWithoutRepetition[]>;
}

export type Runner = SessionRunner | StandaloneRunner;

export interface ConfigurationPlan {
  /** What must exist before this configuration can run (checked in artifact/core/capabilities.ts). */
  needs: readonly CapabilityId[];
  /** Absent while the artifact has no runner for this configuration: it is then reported 'not run'. */
  runner?: Runner;
}

/** One row of a figure's data table; the spec in experiments/<id>/spec.vl.json draws these. */
export interface FigureRow {
  series: string;
  panel: string;
  group: string;
  /** Position of the group on the x axis (specs sort by it; vega-lite would sort labels alphabetically). */
  groupOrder: number;
  /** Line figures: x position and line name; bar figures leave them unset. */
  x?: number;
  line?: string;
  /** Bar figures: rows of one group with the same `stack` are drawn as one stacked bar (its segments are the series). */
  stack?: string;
  value: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  status: 'measured' | 'paper' | 'not run' | 'failed';
}

export interface FigureInput {
  analysis: ExperimentAnalysis;
  /** Series name for this run's values (e.g. 'this run' or a run id in a comparison). */
  series: string;
  /** Where 2011's disk:network balance sits on the disk-speed sweep's axis (1/k), if the run measured it. */
  balanceSpeed?: number | undefined;
}

export interface Experiment {
  id: string;
  figure: number;
  section: string;
  title: string;
  metrics: Record<string, MetricInfo>;
  configurations: Partial<Record<ConfigurationId, ConfigurationPlan>>;
  /** Rows for the spec from one run's analysis. */
  figureData: (input: FigureInput) => FigureRow[];
  /** Rows for the paper's stated values of this figure, labelled as the paper's. */
  paperRows: (paper: readonly PaperValue[]) => FigureRow[];
  /** Absolute path of the vega-lite spec. */
  specFile: string;
  /**
   * How the embedded testbed (QEMU TCG on one host) differs from the paper's 2011 PCs for this
   * figure, and what that predicts for our numbers; printed under the figure in the report.
   */
  testbedDifference: string;
}

export const paperSeriesLabel = 'paper (2011 hardware)';
