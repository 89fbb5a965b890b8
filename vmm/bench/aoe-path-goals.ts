// SPDX-License-Identifier: MIT
// The hypervisor AoE path's speed goals (issue 18), judged from one run's results
// (artifact/core/speed-goals.ts), and the per-frame breakdown of the hypervisor's time (Fig. 8's
// frame-* metrics). Pure; vmm/bench/aoe-path-report.ts prints it for a run.
import { scalar, type AnalysedPoint } from '../../artifact/core/analysis.js';
import { fmt } from '../../artifact/core/claims.js';
import type { ConfigurationId } from '../../artifact/core/configurations.js';
import {
  at,
  fig04,
  fig05,
  fig08,
  goalsMarkdown,
  type Analyses,
  type JudgedGoal,
  type SpeedGoal,
} from '../../artifact/core/speed-goals.js';
import { perFramePhases } from '../../experiments/shared/hypervisor-rtt.js';

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
  const frames = [
    '| Configuration | us per answer received | transmit | doorbell | receive | idle | other |',
    '|---|---|---|---|---|---|---|',
    ...breakdowns.map((b) => {
      const interval = b.busy.ciLow === null ? '' : ` [${fmt(b.busy.ciLow)}, ${fmt(b.busy.ciHigh!)}]`;
      return `| ${b.configuration} | ${fmt(b.busy.mean)}${interval} | ${phases.map((p) => fmt(b.phases[p])).join(' | ')} |`;
    }),
  ];
  return `${goalsMarkdown(judged)}\n\n${frames.join('\n')}`;
}
