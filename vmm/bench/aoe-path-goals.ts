// SPDX-License-Identifier: MIT
// The hypervisor AoE path's speed goals (issue 18), judged from one run's results: each goal puts
// one measured mean against a multiple of another from the same run, with a Welch 95 % interval
// (artifact/core/claims.ts lowerThan), and the per-frame breakdown of the hypervisor's time
// (Fig. 8's frame-* metrics). Pure; vmm/bench/aoe-path-report.ts prints it for a run.
import { scalar, type AnalysedPoint, type ExperimentAnalysis } from '../../artifact/core/analysis.js';
import { fmt, lowerThan, minimumRepetitions } from '../../artifact/core/claims.js';
import type { ConfigurationId } from '../../artifact/core/configurations.js';
import { perFramePhases } from '../../experiments/shared/hypervisor-rtt.js';

/** One measured mean: a metric of a configuration in an experiment. */
interface Operand {
  experiment: string;
  configuration: ConfigurationId;
  metric: string;
}

/** subject >= factor x reference ('at least'), or subject <= factor x reference ('at most'). */
export interface SpeedGoal {
  id: string;
  goal: string;
  subject: Operand;
  reference: Operand;
  factor: number;
  direction: 'at least' | 'at most';
  unit: string;
}

const fig04 = 'fig04-boot-time';
const fig05 = 'fig05-disk-throughput';
const fig08 = 'fig08-aoe-rtt';
const at = (experiment: string, configuration: ConfigurationId, metric: string): Operand => ({
  experiment,
  configuration,
  metric,
});

/** Issue 18's item 5, in its order. CrystalDiskMark's 4K row is queue depth 1, so its throughput is 4 KiB / latency. */
export const aoePathGoals: readonly SpeedGoal[] = [
  {
    id: 'G1',
    goal: "cache-on seq read at least 1.5 x the guest's own Linux initiator (MTU 1500)",
    subject: at(fig05, 'vmm-aoe-cache-on', 'seq-read'),
    reference: at(fig05, 'guest-aoe-initiator', 'seq-read'),
    factor: 1.5,
    direction: 'at least',
    unit: 'MB/s',
  },
  {
    id: 'G2',
    goal: 'cache-on seq read at least 60 % of the host-side probe against the same server',
    subject: at(fig05, 'vmm-aoe-cache-on', 'seq-read'),
    reference: at(fig08, 'probe-aoe-cache-on', 'probe-seq-read'),
    factor: 0.6,
    direction: 'at least',
    unit: 'MB/s',
  },
  {
    id: 'G3',
    goal: "4 KiB QD1 read latency at most the guest initiator's (4K read throughput at least its)",
    subject: at(fig05, 'vmm-aoe-cache-on', 'rand4k-read'),
    reference: at(fig05, 'guest-aoe-initiator', 'rand4k-read'),
    factor: 1,
    direction: 'at least',
    unit: 'MB/s',
  },
  {
    id: 'G4',
    goal: "cache-on OS boot at most 0.95 x iPXE sanboot's",
    subject: at(fig04, 'vmm-aoe-cache-on', 'os-boot'),
    reference: at(fig04, 'ipxe-sanboot-aoe', 'os-boot'),
    factor: 0.95,
    direction: 'at most',
    unit: 's',
  },
  {
    id: 'G5',
    goal: 'jumbo-frame seq read at least 3 x the 1500-byte row (cache on)',
    subject: at(fig05, 'vmm-aoe-jumbo-cache-on', 'seq-read'),
    reference: at(fig05, 'vmm-aoe-cache-on', 'seq-read'),
    factor: 3,
    direction: 'at least',
    unit: 'MB/s',
  },
];

export type GoalVerdict = 'met' | 'not met' | 'inconclusive' | 'not run';

export interface JudgedGoal {
  goal: SpeedGoal;
  verdict: GoalVerdict;
  /** Fewer than minimumRepetitions on a side: the means alone decided. */
  indicative: boolean;
  /** What was measured: both means, their ratio, and subject - factor x reference with its interval. */
  text: string;
}

type Analyses = ReadonlyMap<string, ExperimentAnalysis>;

const pointOf = (analyses: Analyses, o: Operand): AnalysedPoint | undefined => {
  const analysis = analyses.get(o.experiment);
  return analysis ? scalar(analysis, o.configuration, o.metric) : undefined;
};

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
  // lowerThan judges subject < factor x reference: its "reproduced" is "below", its "differs" is "not below".
  const { estimate, repetitions, decision } = lowerThan(subject, reference, goal.factor);
  const below = decision.verdict === 'reproduced';
  const notBelow = decision.verdict === 'differs';
  const verdict: GoalVerdict =
    decision.verdict === 'inconclusive'
      ? 'inconclusive'
      : (goal.direction === 'at most' ? below : notBelow)
        ? 'met'
        : 'not met';
  const interval =
    estimate.ciLow === null || estimate.ciHigh === null
      ? 'no interval'
      : `95 % CI ${fmt(estimate.ciLow)}, ${fmt(estimate.ciHigh)}`;
  const text =
    `${goal.subject.configuration} ${fmt(subject.mean)} vs ${goal.reference.configuration} ${fmt(reference.mean)} ${goal.unit}: ` +
    `ratio ${(subject.mean / reference.mean).toFixed(2)} (goal ${goal.direction} ${goal.factor}); ` +
    `${goal.subject.configuration} - ${goal.factor} x ${goal.reference.configuration} = ${fmt(estimate.value)} ${goal.unit} [${interval}], ` +
    `${repetitions} repetitions`;
  return { goal, verdict, indicative: repetitions < minimumRepetitions, text };
}

/** The phases that split Fig. 8's per-frame time (frame-busy is their sum). */
const phases = perFramePhases.filter((phase) => phase !== 'busy') as Exclude<(typeof perFramePhases)[number], 'busy'>[];

export interface FrameBreakdown {
  configuration: ConfigurationId;
  /** Microseconds of hypervisor time per answer received: in all, and by phase (mean over repetitions). */
  busy: AnalysedPoint;
  phases: Record<(typeof phases)[number], number>;
}

/** The per-frame breakdown of every configuration of Fig. 8 that has one. */
export function frameBreakdowns(analyses: Analyses): FrameBreakdown[] {
  const analysis = analyses.get(fig08);
  if (!analysis) return [];
  return Object.keys(analysis.configurations).flatMap((id) => {
    const configuration = id as ConfigurationId;
    const busy = scalar(analysis, configuration, 'frame-busy');
    if (!busy) return [];
    const byPhase = Object.fromEntries(
      phases.map((phase) => [phase, scalar(analysis, configuration, `frame-${phase}`)?.mean ?? 0]),
    ) as FrameBreakdown['phases'];
    return [{ configuration, busy, phases: byPhase }];
  });
}

/** The goals and the breakdown as Markdown tables. */
export function aoePathMarkdown(judged: readonly JudgedGoal[], breakdowns: readonly FrameBreakdown[]): string {
  const goals = [
    '| | Goal | This run | Verdict |',
    '|---|---|---|---|',
    ...judged.map(
      (j) =>
        `| ${j.goal.id} | ${j.goal.goal} | ${j.text} | **${j.indicative ? `indicative: ${j.verdict}` : j.verdict}** |`,
    ),
  ];
  const frames = [
    '| Configuration | us per answer received | transmit | doorbell | receive | idle | other |',
    '|---|---|---|---|---|---|---|',
    ...breakdowns.map((b) => {
      const interval = b.busy.ciLow === null ? '' : ` [${fmt(b.busy.ciLow)}, ${fmt(b.busy.ciHigh!)}]`;
      return `| ${b.configuration} | ${fmt(b.busy.mean)}${interval} | ${phases.map((p) => fmt(b.phases[p])).join(' | ')} |`;
    }),
  ];
  return `${goals.join('\n')}\n\n${frames.join('\n')}`;
}
