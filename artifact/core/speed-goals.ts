// SPDX-License-Identifier: MIT
// Speed goals judged inside one run: each goal puts one measured mean against a multiple of
// another from the same run, with a Welch 95 % interval (claims.ts lowerThan). The benchmarks'
// goal tables (vmm/bench/aoe-path-goals.ts, server/bench/parallel-goals.ts) are lists of these.
import { scalar, type AnalysedPoint, type ExperimentAnalysis } from './analysis.js';
import { fmt, lowerThan, minimumRepetitions } from './claims.js';
import type { ConfigurationId } from './configurations.js';

/**
 * One measured mean: a metric of a configuration in an experiment; with x, the point of a series
 * metric there ('last': its largest x that every repetition measured, e.g. the last packet of
 * Fig. 8's RTT by index).
 */
export interface Operand {
  experiment: string;
  configuration: ConfigurationId;
  metric: string;
  x?: number | 'last';
}

/**
 * subject >= factor x reference ('at least'), subject <= factor x reference ('at most'), or both
 * bounds at once ('within': low x reference <= subject <= high x reference, e.g. a replay's span
 * against the real boot it replays).
 */
export type SpeedGoal = {
  id: string;
  goal: string;
  subject: Operand;
  reference: Operand;
  unit: string;
} & (
  { direction: 'at least' | 'at most'; factor: number } | { direction: 'within'; factor: readonly [number, number] }
);

/** The figures the goals read. */
export const fig04 = 'fig04-boot-time';
export const fig05 = 'fig05-disk-throughput';
export const fig08 = 'fig08-aoe-rtt';

export const at = (
  experiment: string,
  configuration: ConfigurationId,
  metric: string,
  x?: number | 'last',
): Operand => ({
  experiment,
  configuration,
  metric,
  ...(x === undefined ? {} : { x }),
});

export type GoalVerdict = 'met' | 'not met' | 'inconclusive' | 'not run';

export interface JudgedGoal {
  goal: SpeedGoal;
  verdict: GoalVerdict;
  /** Fewer than minimumRepetitions on a side: the means alone decided. */
  indicative: boolean;
  /** What was measured: both means, their ratio, and subject - factor x reference with its interval. */
  text: string;
}

export type Analyses = ReadonlyMap<string, ExperimentAnalysis>;

function pointOf(analyses: Analyses, o: Operand): AnalysedPoint | undefined {
  const analysis = analyses.get(o.experiment);
  if (!analysis) return undefined;
  if (o.x === undefined) return scalar(analysis, o.configuration, o.metric);
  const entry = analysis.configurations[o.configuration];
  const points = entry?.status === 'ran' ? (entry.metrics[o.metric]?.points ?? []) : [];
  const series = points.filter((p) => p.x !== null);
  if (o.x !== 'last') return series.find((p) => p.x === o.x);
  // the last point every repetition measured: a repetition whose reads were split into shorter
  // commands has no points past its commands' length
  const most = Math.max(...series.map((p) => p.n));
  return series.filter((p) => p.n === most).at(-1);
}

const named = (o: Operand) => (o.x === undefined ? o.configuration : `${o.configuration} ${o.metric}[${o.x}]`);

/** One bound of a goal: is subject below factor x reference, with the interval that decided it. */
function judgeBound(subject: AnalysedPoint, reference: AnalysedPoint, factor: number) {
  // lowerThan judges subject < factor x reference: its "reproduced" is "below", its "differs" is "not below".
  const { estimate, repetitions, decision } = lowerThan(subject, reference, factor);
  const interval =
    estimate.ciLow === null || estimate.ciHigh === null
      ? 'no interval'
      : `95 % CI ${fmt(estimate.ciLow)}, ${fmt(estimate.ciHigh)}`;
  return { repetitions, verdict: decision.verdict, estimate, interval };
}

export function judgeGoal(analyses: Analyses, goal: SpeedGoal): JudgedGoal {
  const subject = pointOf(analyses, goal.subject);
  const reference = pointOf(analyses, goal.reference);
  if (!subject || !reference) {
    const absent = !subject ? goal.subject : goal.reference;
    return {
      goal,
      verdict: 'not run',
      indicative: false,
      text: `no data (${absent.experiment} ${absent.metric} for ${absent.configuration})`,
    };
  }
  // Each bound as [factor, the lowerThan verdict that meets it]: "at least" is met by "not below".
  const bounds: [number, 'reproduced' | 'differs'][] =
    goal.direction === 'within'
      ? [
          [goal.factor[0], 'differs'],
          [goal.factor[1], 'reproduced'],
        ]
      : [[goal.factor, goal.direction === 'at most' ? 'reproduced' : 'differs']];
  const judged = bounds.map(([factor, meets]) => ({ factor, meets, ...judgeBound(subject, reference, factor) }));
  const verdict: GoalVerdict = judged.some((b) => b.verdict !== 'inconclusive' && b.verdict !== b.meets)
    ? 'not met'
    : judged.some((b) => b.verdict === 'inconclusive')
      ? 'inconclusive'
      : 'met';
  const factorText = goal.direction === 'within' ? `${goal.factor[0]}-${goal.factor[1]}` : String(goal.factor);
  const text =
    `${named(goal.subject)} ${fmt(subject.mean)} vs ${named(goal.reference)} ${fmt(reference.mean)} ${goal.unit}: ` +
    `ratio ${(subject.mean / reference.mean).toFixed(2)} (goal ${goal.direction} ${factorText}); ` +
    judged
      .map(
        (b) =>
          `${named(goal.subject)} - ${b.factor} x ${named(goal.reference)} = ${fmt(b.estimate.value)} ${goal.unit} [${b.interval}]`,
      )
      .join('; ') +
    `, ${judged[0]!.repetitions} repetitions`;
  return { goal, verdict, indicative: judged[0]!.repetitions < minimumRepetitions, text };
}

/** Judged goals as a Markdown table. */
export function goalsMarkdown(judged: readonly JudgedGoal[]): string {
  return [
    '| | Goal | This run | Verdict |',
    '|---|---|---|---|',
    ...judged.map(
      (j) =>
        `| ${j.goal.id} | ${j.goal.goal} | ${j.text} | **${j.indicative ? `indicative: ${j.verdict}` : j.verdict}** |`,
    ),
  ].join('\n');
}
