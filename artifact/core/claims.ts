import { scalar, type AnalysedPoint, type ExperimentAnalysis } from './analysis.js';
import type { ConfigurationId } from './configurations.js';
import { differenceOfMeans, type Summary } from './statistics.js';

export type Verdict = 'reproduced' | 'differs' | 'not run';

export interface ClaimVerdict {
  id: string;
  claim: string;
  paperFigure: string;
  paper: string;
  ours: string;
  verdict: Verdict;
  rule: string;
}

type Analyses = ReadonlyMap<string, ExperimentAnalysis>;

/** "About equal" in the paper's words (ほぼ同様, 同等): within this fraction of the baseline. */
export const aboutEqualTolerance = 0.1;
/** "Equal or above" for application scores: at least this fraction of local. */
export const parityFloor = 0.95;

interface Outcome {
  verdict: Verdict;
  ours: string;
}

const notRun = (what: string): Outcome => ({ verdict: 'not run', ours: `no data: ${what}` });
const fmt = (value: number) => (Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3));

function point(analyses: Analyses, experiment: string, configuration: ConfigurationId, metric: string): AnalysedPoint | undefined {
  const analysis = analyses.get(experiment);
  return analysis ? scalar(analysis, configuration, metric) : undefined;
}

/**
 * a is lower than b: with two or more repetitions on both sides the Welch 95 % interval of
 * a - b must lie below zero; with a single repetition the means decide (and the text says so).
 */
export function lowerThan(a: Summary, b: Summary): { holds: boolean; text: string } {
  const difference = differenceOfMeans(a, b);
  if (difference.ciLow === null || difference.ciHigh === null) {
    return { holds: difference.value < 0, text: `difference ${fmt(difference.value)} (single repetition: no interval)` };
  }
  return { holds: difference.ciHigh < 0, text: `difference ${fmt(difference.value)} [95 % CI ${fmt(difference.ciLow)}, ${fmt(difference.ciHigh)}]` };
}

function compareLower(analyses: Analyses, experiment: string, metric: string, lower: ConfigurationId, higher: ConfigurationId, unit: string): Outcome {
  const a = point(analyses, experiment, lower, metric);
  const b = point(analyses, experiment, higher, metric);
  if (!a || !b) return notRun(`${experiment} ${metric} for ${!a ? lower : higher}`);
  const test = lowerThan(a, b);
  return { verdict: test.holds ? 'reproduced' : 'differs', ours: `${lower} ${fmt(a.mean)} ${unit} vs ${higher} ${fmt(b.mean)} ${unit}; ${test.text}` };
}

function compareAboutEqual(analyses: Analyses, experiment: string, metrics: readonly string[], configuration: ConfigurationId, baseline: ConfigurationId, unit: string): Outcome {
  const parts: string[] = [];
  let holds = true;
  for (const metric of metrics) {
    const a = point(analyses, experiment, configuration, metric);
    const b = point(analyses, experiment, baseline, metric);
    if (!a || !b) return notRun(`${experiment} ${metric} for ${!a ? configuration : baseline}`);
    const relative = (a.mean - b.mean) / b.mean;
    holds &&= Math.abs(relative) <= aboutEqualTolerance;
    parts.push(`${metric}: ${fmt(a.mean)} vs ${fmt(b.mean)} ${unit} (${relative >= 0 ? '+' : ''}${(relative * 100).toFixed(1)} %)`);
  }
  return { verdict: holds ? 'reproduced' : 'differs', ours: parts.join('; ') };
}

/** RTT grows with the packet index: least-squares slope of mean RTT over index is positive. */
export function slope(points: readonly { x: number; y: number }[]): number {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return sxx === 0 ? 0 : points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0) / sxx;
}

/** MB (10^6 bytes) in one 1 MiB access. */
const accessMB = 1.048576;

/**
 * The paper's 5.5 arithmetic: one access with the cache off takes `extraMs` longer than with it on,
 * so sequential 1 MiB reads at `cacheOnMBps` would drop to this throughput (MB/s).
 */
export function predictedCacheOffThroughput(cacheOnMBps: number, extraMs: number): number {
  return accessMB / (accessMB / cacheOnMBps + extraMs / 1000);
}

function claimC6(analyses: Analyses): Outcome {
  const seqOff = point(analyses, 'fig05-disk-throughput', 'vmm-aoe-cache-off', 'seq-read');
  const seqLocal = point(analyses, 'fig05-disk-throughput', 'local', 'seq-read');
  const rtt = analyses.get('fig08-aoe-rtt')?.configurations['vmm-aoe-cache-off'];
  if (!seqOff || !seqLocal) return notRun('fig05 seq-read for cache off and local');
  if (rtt?.status !== 'ran' || !rtt.metrics.rtt) return notRun('fig08 RTT by packet index for cache off');
  const points = rtt.metrics.rtt.points.filter((p) => p.x !== null).map((p) => ({ x: p.x!, y: p.mean }));
  const ratio = seqOff.mean / seqLocal.mean;
  const rttSlope = slope(points);
  const parts = [`seq read cache off = ${(ratio * 100).toFixed(1)} % of local`, `RTT slope ${fmt(rttSlope)} ms per packet index`];
  const latencyOn = point(analyses, 'fig08-aoe-rtt', 'vmm-aoe-cache-on', 'access-latency');
  const latencyOff = point(analyses, 'fig08-aoe-rtt', 'vmm-aoe-cache-off', 'access-latency');
  const seqOn = point(analyses, 'fig05-disk-throughput', 'vmm-aoe-cache-on', 'seq-read');
  if (latencyOn && latencyOff && seqOn) {
    const extra = latencyOff.mean - latencyOn.mean;
    const predicted = predictedCacheOffThroughput(seqOn.mean, extra);
    parts.push(`cache off adds ${fmt(extra)} ms per 1 MiB access, predicting seq read ${fmt(predicted)} MB/s (measured ${fmt(seqOff.mean)})`);
  }
  return { verdict: ratio < 0.5 && rttSlope > 0 ? 'reproduced' : 'differs', ours: parts.join('; ') };
}

function claimC7(analyses: Analyses, memoryHeavy: ReadonlySet<string>): Outcome {
  const analysis = analyses.get('fig09-application-benchmark');
  const on = analysis?.configurations['vmm-aoe-cache-on'];
  if (!analysis || on?.status !== 'ran') return notRun('fig09 scores for cache on');
  const parts: string[] = [];
  let holds = true;
  for (const metric of Object.keys(on.metrics)) {
    const a = scalar(analysis, 'vmm-aoe-cache-on', metric);
    const b = scalar(analysis, 'local', metric);
    if (!a || !b) return notRun(`fig09 ${metric} for local`);
    // Metrics are seconds; the score normalised to local is local time / this time.
    const ratio = b.mean / a.mean;
    holds &&= memoryHeavy.has(metric) ? ratio < 1 : ratio >= parityFloor;
    parts.push(`${metric} ${ratio.toFixed(2)}`);
  }
  return { verdict: holds ? 'reproduced' : 'differs', ours: parts.join('; ') };
}

function claimC9(analyses: Analyses): Outcome {
  const parts: string[] = [];
  let holds = true;
  for (const metric of ['seq-read', 'seq-write', 'rand512k-read', 'rand512k-write']) {
    const ours = point(analyses, 'fig11-kvm-throughput', 'vmm-aoe-cache-on', metric);
    const kvm = point(analyses, 'fig11-kvm-throughput', 'kvm-nfs', metric);
    if (!ours || !kvm) return notRun(`fig11 ${metric}`);
    holds &&= ours.mean >= kvm.mean;
    parts.push(`${metric} ${ours.mean - kvm.mean >= 0 ? '+' : ''}${fmt(ours.mean - kvm.mean)} MB/s`);
  }
  return { verdict: holds ? 'reproduced' : 'differs', ours: parts.join('; ') };
}

const tolerance = `${aboutEqualTolerance * 100} %`;

/** The paper's claims C1-C9, each with its verdict on this run's data and the rule that decided it. */
export function evaluateClaims(analyses: Analyses, memoryHeavyTests: ReadonlySet<string>): ClaimVerdict[] {
  const lowerRule = 'lower mean; with >= 2 repetitions the Welch 95 % CI of the difference must exclude 0';
  return [
    {
      id: 'C1', claim: 'With the server cache on, network boot is faster than booting the local disk', paperFigure: 'Fig. 4 (5.2)',
      paper: 'OS boot 14 s shorter; 8 s shorter including the VMM boot', rule: `cache-on OS boot vs local: ${lowerRule}`,
      ...compareLower(analyses, 'fig04-boot-time', 'os-boot', 'vmm-aoe-cache-on', 'local', 's'),
    },
    {
      id: 'C2', claim: 'With the server cache off, network boot is slower than the local disk', paperFigure: 'Fig. 4 (5.2)',
      paper: 'OS boot 24 s longer; about 30 s longer including the VMM boot', rule: `local OS boot vs cache-off: ${lowerRule}`,
      ...compareLower(analyses, 'fig04-boot-time', 'os-boot', 'local', 'vmm-aoe-cache-off', 's'),
    },
    {
      id: 'C3', claim: 'The VMM on a local disk costs about nothing', paperFigure: 'Figs. 4, 5',
      paper: 'OS boot and throughput about the same as local', rule: `VMM + local OS boot within ${tolerance} of local`,
      ...compareAboutEqual(analyses, 'fig04-boot-time', ['os-boot'], 'vmm-local', 'local', 's'),
    },
    {
      id: 'C4', claim: 'With the cache on, sequential read beats the local disk', paperFigure: 'Fig. 5 (5.3)',
      paper: 'seq read +26.1 % (local 45.8 MB/s)', rule: `local vs cache-on seq read: ${lowerRule}`,
      ...compareLower(analyses, 'fig05-disk-throughput', 'seq-read', 'local', 'vmm-aoe-cache-on', 'MB/s'),
    },
    {
      id: 'C5', claim: 'With the cache off, 4 KB random I/O is on par with the local disk', paperFigure: 'Fig. 5 (5.3)',
      paper: '4K random read and write about equal to local', rule: `cache-off 4K random read and write each within ${tolerance} of local`,
      ...compareAboutEqual(analyses, 'fig05-disk-throughput', ['rand4k-read', 'rand4k-write'], 'vmm-aoe-cache-off', 'local', 'MB/s'),
    },
    {
      id: 'C6', claim: 'With the cache off, large I/O collapses, and RTT grows with the packet index', paperFigure: 'Figs. 5, 8 (5.5)',
      paper: 'seq read 18.8 % of local; +12 ms per access; later packets wait longer', rule: 'cache-off seq read < 50 % of local AND least-squares slope of cache-off mean RTT over packet index > 0',
      ...claimC6(analyses),
    },
    {
      id: 'C7', claim: 'Applications run on par with local except memory-heavy tests', paperFigure: 'Fig. 9 (5.6)',
      paper: '>= 1 for loading, scan, media; < 1 for web rendering, mail search and copy', rule: `score (local time / cache-on time) >= ${parityFloor} for each non-memory-heavy test and < 1 for each memory-heavy test`,
      ...claimC7(analyses, memoryHeavyTests),
    },
    {
      id: 'C8', claim: 'The thin VMM boots faster than a KVM host', paperFigure: 'Fig. 10 (5.7)',
      paper: 'VMM boot 20 s shorter; OS boot 12 s shorter', rule: `VMM boot (cache on) vs KVM host boot: ${lowerRule}`,
      ...compareLower(analyses, 'fig10-kvm-boot-time', 'vmm-boot', 'vmm-aoe-cache-on', 'kvm-nfs', 's'),
    },
    {
      id: 'C9', claim: 'Throughput is at least that of KVM + NFS', paperFigure: 'Fig. 11 (5.7)',
      paper: '+21.8, +46.6, +21.6, +56.1 MB/s (seq R/W, 512K R/W)', rule: 'mean throughput (cache on) >= KVM + NFS for seq read/write and 512K random read/write',
      ...claimC9(analyses),
    },
  ];
}
