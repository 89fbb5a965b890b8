// SPDX-License-Identifier: MIT
import { scalar, type AnalysedPoint, type ExperimentAnalysis } from './analysis.js';
import type { ConfigurationId } from './configurations.js';
import { differenceOfMeans, tQuantile95, type Difference, type Summary } from './statistics.js';

/**
 * confident: at least `minimumRepetitions` repetitions on every side and a 95 % interval decided;
 * indicative: fewer, so the point estimate decided, and the verdict is a hint, not a result.
 */
export type Strength = 'confident' | 'indicative';
/** Only reproduced and differs have a strength: inconclusive comes from an interval, not run from no data. */
export type Decision =
  { verdict: 'reproduced' | 'differs'; strength: Strength } | { verdict: 'inconclusive' | 'not run'; strength: null };

export type ClaimVerdict = {
  id: string;
  claim: string;
  paperFigure: string;
  paper: string;
  rule: string;
  /** This run's numbers for each half of the claim, each followed by that half's verdict. */
  ours: string;
  /** Each half's verdict alone, so a summary can say which half decided (e.g. "not run"). */
  halves: { name: string; verdict: string }[];
} & Decision;

/** The Fig. 9 tests by name (experiments/fig09-application-benchmark `applicationTests`). */
export type ApplicationTests = Readonly<Record<string, { memoryHeavy: boolean }>>;

type Analyses = ReadonlyMap<string, ExperimentAnalysis>;

/** Fewer repetitions than this on a side and the verdict is only indicative. */
export const minimumRepetitions = 3;
/** "About equal" in the paper's words (ほぼ同様, 同等): within this fraction of the baseline. */
export const aboutEqualTolerance = 0.1;
/** "Equal or above" for application scores: at least this fraction of local. */
export const parityFloor = 0.95;
/** C6's "collapses": cache-off throughput below this fraction of cache-on's. */
export const collapseFraction = 0.5;

export const verdictLegend =
  `Each rule names a region for an estimate (a difference, a relative difference, a slope, a ratio of scores). ` +
  `With at least ${minimumRepetitions} repetitions on every side, the 95 % interval decides: inside the region "reproduced", outside it "differs", ` +
  `across its edge "inconclusive". With fewer, the estimate alone decides and the verdict reads "indicative: reproduced" or "indicative: differs": a hint, not a result. ` +
  `A claim with several halves is reproduced only if every half is; one differing half makes it differ; otherwise a half without data makes it "not run", and an inconclusive half "inconclusive". ` +
  `"This run" gives every half with its own verdict.`;

const notRun: Decision = { verdict: 'not run', strength: null };
const inconclusive: Decision = { verdict: 'inconclusive', strength: null };

/** Where a claim puts an estimate: the open interval (low, high). */
interface Region {
  low: number;
  high: number;
}
const below = (threshold: number): Region => ({ low: -Infinity, high: threshold });
const above = (threshold: number): Region => ({ low: threshold, high: Infinity });
const within = (margin: number): Region => ({ low: -margin, high: margin });

/** The interval decides where there are enough repetitions for one to mean something; the estimate otherwise. */
export function decide(estimate: Difference, region: Region, repetitions: number): Decision {
  const { value, ciLow, ciHigh } = estimate;
  if (repetitions < minimumRepetitions || ciLow === null || ciHigh === null) {
    return { verdict: value > region.low && value < region.high ? 'reproduced' : 'differs', strength: 'indicative' };
  }
  if (ciLow > region.low && ciHigh < region.high) return { verdict: 'reproduced', strength: 'confident' };
  if (ciHigh <= region.low || ciLow >= region.high) return { verdict: 'differs', strength: 'confident' };
  return inconclusive;
}

/** A claim holds only if every half does; one differing half is enough against it (confident if that half is). */
export function combine(decisions: readonly Decision[]): Decision {
  const differing = decisions.filter((d) => d.verdict === 'differs');
  if (differing.length > 0)
    return {
      verdict: 'differs',
      strength: differing.some((d) => d.strength === 'confident') ? 'confident' : 'indicative',
    };
  if (decisions.length === 0 || decisions.some((d) => d.verdict === 'not run')) return notRun;
  if (decisions.some((d) => d.verdict === 'inconclusive')) return inconclusive;
  return {
    verdict: 'reproduced',
    strength: decisions.every((d) => d.strength === 'confident') ? 'confident' : 'indicative',
  };
}

/** The verdict as the report prints it (claims.json carries verdict and strength apart): "indicative: reproduced" never reads as "reproduced". */
export function verdictLabel(decision: Decision): string {
  return decision.strength === 'indicative' ? `indicative: ${decision.verdict}` : decision.verdict;
}

/** A measured number as the claims print it: whole from 100 up, three significant digits below. */
export const fmt = (value: number) => (Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3));
const signed = (unit: string) => (value: number) => `${value >= 0 ? '+' : ''}${fmt(value)}${unit ? ` ${unit}` : ''}`;
const percent = (fraction: number) => `${fraction >= 0 ? '+' : ''}${(fraction * 100).toFixed(1)} %`;
const repetitionsText = (n: number) => (n === 1 ? 'single repetition' : `${n} repetitions`);

/** The estimate, its interval, and, where the interval did not decide, why. */
function estimateText(estimate: Difference, repetitions: number, show: (value: number) => string): string {
  const value = show(estimate.value);
  if (estimate.ciLow === null || estimate.ciHigh === null)
    return `${value} (${repetitionsText(repetitions)}: no interval)`;
  const interval = `${value} [95 % CI ${show(estimate.ciLow)}, ${show(estimate.ciHigh)}]`;
  return repetitions < minimumRepetitions
    ? `${interval} (${repetitionsText(repetitions)}: the estimate decides)`
    : interval;
}

/** One comparison: the estimate it rests on, how many repetitions back it, and its decision. */
export interface Judged {
  estimate: Difference;
  repetitions: number;
  decision: Decision;
}

/** The summary of `factor` times each measured value. */
function scaled(summary: Summary, factor: number): Summary {
  const times = (value: number | null) => (value === null ? null : value * factor);
  return {
    n: summary.n,
    mean: summary.mean * factor,
    sd: times(summary.sd),
    ciLow: times(summary.ciLow),
    ciHigh: times(summary.ciHigh),
  };
}

/** a is lower than factor x b: the Welch 95 % interval of a - factor x b lies below 0. */
export function lowerThan(a: Summary, b: Summary, factor = 1): Judged {
  const estimate = differenceOfMeans(a, scaled(b, factor));
  const repetitions = Math.min(a.n, b.n);
  return { estimate, repetitions, decision: decide(estimate, below(0), repetitions) };
}

/**
 * a is about equal to b: the Welch 95 % interval of a - b, divided by b's mean (a positive time or
 * throughput; its own uncertainty is left out), lies inside +-aboutEqualTolerance.
 */
export function aboutEqual(a: Summary, b: Summary): Judged {
  const difference = differenceOfMeans(a, b);
  const relative = (value: number | null) => (value === null ? null : value / b.mean);
  const estimate = {
    value: difference.value / b.mean,
    ciLow: relative(difference.ciLow),
    ciHigh: relative(difference.ciHigh),
  };
  const repetitions = Math.min(a.n, b.n);
  return { estimate, repetitions, decision: decide(estimate, within(aboutEqualTolerance), repetitions) };
}

function leastSquares(points: readonly { x: number; y: number }[]) {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  const slope = sxx === 0 ? 0 : points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0) / sxx;
  return { mx, my, sxx, slope };
}

/** Least-squares slope of y over x (0 when x does not vary). */
export function slope(points: readonly { x: number; y: number }[]): number {
  return leastSquares(points).slope;
}

/**
 * The slope with its 95 % interval from the scatter of the points around the line (Student t,
 * k - 2 degrees of freedom); no interval under three points or without spread in x. It takes the
 * points as independent, which neighbouring packets of one access are not quite: if anything narrow.
 */
export function fitSlope(points: readonly { x: number; y: number }[]): Difference {
  const { mx, my, sxx, slope: value } = leastSquares(points);
  if (points.length < 3 || sxx === 0) return { value, ciLow: null, ciHigh: null };
  const residuals = points.reduce((s, p) => s + (p.y - my - value * (p.x - mx)) ** 2, 0);
  const halfWidth = tQuantile95(points.length - 2) * Math.sqrt(residuals / (points.length - 2) / sxx);
  return { value, ciLow: value - halfWidth, ciHigh: value + halfWidth };
}

/** Local and cache-on times (s) of one Fig. 9 test. */
export interface TestTimes {
  test: string;
  local: Summary;
  on: Summary;
}

/**
 * log(score of m / score of o), score = local time / cache-on time, with a Welch-Satterthwaite 95 %
 * interval by the delta method: var(log mean) is about sd^2 / (n mean^2), the four means independent.
 */
export function logScoreRatio(m: TestTimes, o: TestTimes): Difference {
  const terms: [Summary, number][] = [
    [m.local, 1],
    [m.on, -1],
    [o.local, -1],
    [o.on, 1],
  ];
  const value = terms.reduce((s, [summary, sign]) => s + sign * Math.log(summary.mean), 0);
  const spreads = terms.map(([summary]) =>
    summary.sd === null ? null : { variance: (summary.sd / summary.mean) ** 2 / summary.n, dof: summary.n - 1 },
  );
  if (spreads.some((spread) => spread === null)) return { value, ciLow: null, ciHigh: null };
  const variance = spreads.reduce((s, spread) => s + spread!.variance, 0);
  if (variance === 0) return { value, ciLow: value, ciHigh: value };
  const dof = variance ** 2 / spreads.reduce((s, spread) => s + spread!.variance ** 2 / spread!.dof, 0);
  const halfWidth = tQuantile95(dof) * Math.sqrt(variance);
  return { value, ciLow: value - halfWidth, ciHigh: value + halfWidth };
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

/** One half of a claim: what it is, this run's numbers, and its decision. */
interface Half {
  name: string;
  text: string;
  decision: Decision;
}

const describeHalf = (half: Half) => `${half.name}: ${half.text} → ${verdictLabel(half.decision)}`;
const missing = (name: string, what: string): Half => ({ name, text: `no data (${what})`, decision: notRun });

const fig04 = 'fig04-boot-time';
const fig05 = 'fig05-disk-throughput';
const fig08 = 'fig08-aoe-rtt';
const fig09 = 'fig09-application-benchmark';
const fig10 = 'fig10-kvm-boot-time';
const fig11 = 'fig11-kvm-throughput';
/** All six tests of Fig. 5 (CrystalDiskMark's rows); the first four are the large-I/O ones. */
const diskTests = ['seq-read', 'seq-write', 'rand512k-read', 'rand512k-write', 'rand4k-read', 'rand4k-write'] as const;
const largeIoTests = diskTests.slice(0, 4);

function point(
  analyses: Analyses,
  experiment: string,
  configuration: ConfigurationId,
  metric: string,
): AnalysedPoint | undefined {
  const analysis = analyses.get(experiment);
  return analysis ? scalar(analysis, configuration, metric) : undefined;
}

interface Comparison {
  name: string;
  experiment: string;
  metric: string;
  unit: string;
}

/** `lower` below `factor` x `higher` in one metric. */
function lowerHalf(
  analyses: Analyses,
  c: Comparison,
  lower: ConfigurationId,
  higher: ConfigurationId,
  factor = 1,
): Half {
  const a = point(analyses, c.experiment, lower, c.metric);
  const b = point(analyses, c.experiment, higher, c.metric);
  if (!a || !b) return missing(c.name, `${c.experiment} ${c.metric} for ${!a ? lower : higher}`);
  const { estimate, repetitions, decision } = lowerThan(a, b, factor);
  const scale = factor === 1 ? '' : `${factor} x `;
  const ratio = factor === 1 ? '' : ` (${((a.mean / b.mean) * 100).toFixed(1)} % of ${higher})`;
  const text = `${lower} ${fmt(a.mean)} ${c.unit} vs ${scale}${higher} ${fmt(b.mean)} ${c.unit}${ratio}, difference ${estimateText(estimate, repetitions, signed(c.unit))}`;
  return { name: c.name, text, decision };
}

/** `configuration` about equal to `baseline` in one metric. */
function equalHalf(analyses: Analyses, c: Comparison, configuration: ConfigurationId, baseline: ConfigurationId): Half {
  const a = point(analyses, c.experiment, configuration, c.metric);
  const b = point(analyses, c.experiment, baseline, c.metric);
  if (!a || !b) return missing(c.name, `${c.experiment} ${c.metric} for ${!a ? configuration : baseline}`);
  const { estimate, repetitions, decision } = aboutEqual(a, b);
  return {
    name: c.name,
    text: `${configuration} ${fmt(a.mean)} vs ${baseline} ${fmt(b.mean)} ${c.unit}, relative difference ${estimateText(estimate, repetitions, percent)}`,
    decision,
  };
}

/** C6: cache off adds time to each access; the paper's 5.5 arithmetic rides along, unjudged. */
function accessLatencyHalf(analyses: Analyses): Half {
  const half = lowerHalf(
    analyses,
    { name: 'time per access', experiment: fig08, metric: 'access-latency', unit: 'ms' },
    'vmm-aoe-cache-on',
    'vmm-aoe-cache-off',
  );
  const latencyOn = point(analyses, fig08, 'vmm-aoe-cache-on', 'access-latency');
  const latencyOff = point(analyses, fig08, 'vmm-aoe-cache-off', 'access-latency');
  const seqOn = point(analyses, fig05, 'vmm-aoe-cache-on', 'seq-read');
  const seqOff = point(analyses, fig05, 'vmm-aoe-cache-off', 'seq-read');
  if (!latencyOn || !latencyOff || !seqOn || !seqOff) return half;
  const predicted = predictedCacheOffThroughput(seqOn.mean, latencyOff.mean - latencyOn.mean);
  return {
    ...half,
    text: `${half.text} (5.5 arithmetic, not judged: predicts cache-off seq read ${fmt(predicted)} MB/s, measured ${fmt(seqOff.mean)})`,
  };
}

/** C6: mean RTT grows with the packet index within one 1 MiB access. */
function rttGrowthHalf(analyses: Analyses, configuration: ConfigurationId): Half {
  const name = `RTT growth, ${configuration}`;
  const entry = analyses.get(fig08)?.configurations[configuration];
  const points = entry?.status === 'ran' ? entry.metrics.rtt?.points.filter((p) => p.x !== null) : undefined;
  if (!points || points.length < 2) return missing(name, `${fig08} rtt by packet index for ${configuration}`);
  const estimate = fitSlope(points.map((p) => ({ x: p.x!, y: p.mean })));
  const repetitions = Math.min(...points.map((p) => p.n));
  const text = `slope over ${points.length} packet indices ${estimateText(estimate, repetitions, signed('ms per index'))}`;
  return { name, text, decision: decide(estimate, above(0), repetitions) };
}

const score = (t: TestTimes) => (t.local.mean / t.on.mean).toFixed(2);

/** C7, a test the paper found at or above local: score >= parityFloor, i.e. cache-on time < local time / parityFloor. */
function parityHalf(t: TestTimes): Half {
  const { estimate, repetitions, decision } = lowerThan(t.on, t.local, 1 / parityFloor);
  return {
    name: t.test,
    text: `score ${score(t)}, cache-on time - local time / ${parityFloor} ${estimateText(estimate, repetitions, signed('s'))}`,
    decision,
  };
}

/** C7, a memory-heavy test: below local (score < 1) and below every test the paper found at parity. */
function memoryHeavyHalf(t: TestTimes, atParity: readonly TestTimes[]): Half {
  const belowLocal = lowerThan(t.local, t.on);
  const contrasts = atParity.map((o) => {
    const estimate = logScoreRatio(t, o);
    const repetitions = Math.min(t.local.n, t.on.n, o.local.n, o.on.n);
    return { test: o.test, estimate, repetitions, decision: decide(estimate, below(0), repetitions) };
  });
  const ratios = contrasts.map(
    (c) => `${c.test} ${estimateText(c.estimate, c.repetitions, (v) => Math.exp(v).toFixed(2))}`,
  );
  const text = `score ${score(t)}, local - cache-on time ${estimateText(belowLocal.estimate, belowLocal.repetitions, signed('s'))}, its score / each other test's score: ${ratios.join(', ')}`;
  return { name: t.test, text, decision: combine([belowLocal.decision, ...contrasts.map((c) => c.decision)]) };
}

/** C7 per test; a test without local or cache-on times is named, not dropped. */
function applicationHalves(analyses: Analyses, tests: ApplicationTests): Half[] {
  const analysis = analyses.get(fig09);
  const times = (test: string): TestTimes | string => {
    const local = analysis && scalar(analysis, 'local', test);
    const on = analysis && scalar(analysis, 'vmm-aoe-cache-on', test);
    return local && on ? { test, local, on } : `${fig09} ${test} for ${!local ? 'local' : 'vmm-aoe-cache-on'}`;
  };
  const measured = (names: string[]) => names.map(times).filter((t): t is TestTimes => typeof t !== 'string');
  const atParity = measured(Object.keys(tests).filter((test) => !tests[test]!.memoryHeavy));
  return Object.entries(tests).map(([test, { memoryHeavy }]) => {
    const t = times(test);
    if (typeof t === 'string') return missing(test, t);
    return memoryHeavy ? memoryHeavyHalf(t, atParity) : parityHalf(t);
  });
}

interface ClaimSpec {
  id: string;
  claim: string;
  paperFigure: string;
  paper: string;
  rule: string;
  halves: (analyses: Analyses) => Half[];
}

const tolerance = `${aboutEqualTolerance * 100} %`;
const below0 = (difference: string, unit: string) => `the 95 % Welch CI of (${difference}) below 0 ${unit}`;

function claimSpecs(tests: ApplicationTests): ClaimSpec[] {
  const testNames = (memoryHeavy: boolean) =>
    Object.keys(tests)
      .filter((test) => tests[test]!.memoryHeavy === memoryHeavy)
      .join(', ');
  return [
    {
      id: 'C1',
      claim: 'With the server cache on, network boot is faster than booting the local disk',
      paperFigure: 'Fig. 4 (5.2)',
      paper: 'OS boot 14 s shorter; 8 s shorter including the VMM boot',
      rule:
        `Two halves, each cache on faster than local, i.e. ${below0('cache on - local', 's')}: (1) OS boot (GRUB to login), vmm-aoe-cache-on vs local; ` +
        `(2) including the VMM's boot: power-on to login (total-boot) of vmm-pxe-aoe-cache-on (the VMM loaded over the network, as the paper's gPXE) vs local. ` +
        `Power-on to login on both sides, not the paper's VMM boot + OS boot against local OS boot: it is measured per repetition, and both sides include the firmware; the network side also the BIOS start after the hand-over, which works against this half.`,
      halves: (a) => [
        lowerHalf(a, { name: 'OS boot', experiment: fig04, metric: 'os-boot', unit: 's' }, 'vmm-aoe-cache-on', 'local'),
        lowerHalf(
          a,
          { name: 'incl. VMM boot (power-on to login)', experiment: fig04, metric: 'total-boot', unit: 's' },
          'vmm-pxe-aoe-cache-on',
          'local',
        ),
      ],
    },
    {
      id: 'C2',
      claim: 'With the server cache off, network boot is slower than the local disk',
      paperFigure: 'Fig. 4 (5.2)',
      paper: 'OS boot 24 s longer; about 30 s longer including the VMM boot',
      rule:
        `Two halves, each local faster than cache off, i.e. ${below0('local - cache off', 's')}: (1) OS boot (GRUB to login), local vs vmm-aoe-cache-off; ` +
        `(2) including the VMM's boot: power-on to login (total-boot), local vs vmm-aoe-cache-off. No cache-off configuration loads the VMM by PXE; ` +
        `loaded by QEMU its VMM boot is shorter than the paper's, which works against this half.`,
      halves: (a) => [
        lowerHalf(
          a,
          { name: 'OS boot', experiment: fig04, metric: 'os-boot', unit: 's' },
          'local',
          'vmm-aoe-cache-off',
        ),
        lowerHalf(
          a,
          { name: 'incl. VMM boot (power-on to login)', experiment: fig04, metric: 'total-boot', unit: 's' },
          'local',
          'vmm-aoe-cache-off',
        ),
      ],
    },
    {
      id: 'C3',
      claim: 'The VMM on a local disk costs about nothing',
      paperFigure: 'Figs. 4, 5',
      paper: 'OS boot and throughput about the same as local',
      rule:
        `Seven halves, each vmm-local within ${tolerance} of local, i.e. the 95 % Welch CI of (vmm-local - local) / local mean inside +-${tolerance}: ` +
        `OS boot (Fig. 4) and all six Fig. 5 tests (${diskTests.join(', ')}).`,
      halves: (a) => [
        equalHalf(a, { name: 'OS boot', experiment: fig04, metric: 'os-boot', unit: 's' }, 'vmm-local', 'local'),
        ...diskTests.map((metric) =>
          equalHalf(a, { name: metric, experiment: fig05, metric, unit: 'MB/s' }, 'vmm-local', 'local'),
        ),
      ],
    },
    {
      id: 'C4',
      claim: 'With the cache on, sequential read beats the local disk',
      paperFigure: 'Fig. 5 (5.3)',
      paper: 'seq read +26.1 % (local 45.8 MB/s)',
      rule: `Seq read higher with the cache on than local, i.e. ${below0('local - cache on', 'MB/s')}.`,
      halves: (a) => [
        lowerHalf(
          a,
          { name: 'seq-read', experiment: fig05, metric: 'seq-read', unit: 'MB/s' },
          'local',
          'vmm-aoe-cache-on',
        ),
      ],
    },
    {
      id: 'C5',
      claim: 'With the cache off, 4 KB random I/O is on par with the local disk',
      paperFigure: 'Fig. 5 (5.3)',
      paper: '4K random read and write about equal to local',
      rule: `Two halves, 4K random read and 4K random write, each vmm-aoe-cache-off within ${tolerance} of local, i.e. the 95 % Welch CI of (cache off - local) / local mean inside +-${tolerance}.`,
      halves: (a) =>
        (['rand4k-read', 'rand4k-write'] as const).map((metric) =>
          equalHalf(a, { name: metric, experiment: fig05, metric, unit: 'MB/s' }, 'vmm-aoe-cache-off', 'local'),
        ),
    },
    {
      id: 'C6',
      claim: 'With the cache off, large I/O collapses, each access takes longer, and RTT grows with the packet index',
      paperFigure: 'Figs. 5, 8 (5.5)',
      paper: 'seq read 18.8 % of local; +12 ms per access; later packets wait longer, cache on or off',
      rule:
        `Seven halves. Collapse, for ${largeIoTests.join(', ')}: cache-off throughput below ${collapseFraction * 100} % of cache-on's, ` +
        `i.e. ${below0(`cache off - ${collapseFraction} x cache on`, 'MB/s')}. Time per access: the guest's mean latency of one 1 MiB read (Fig. 8 run) lower with the cache on, ` +
        `i.e. ${below0('cache on - cache off', 'ms')}. RTT growth, cache off and cache on: least-squares slope of mean RTT over packet index above 0, ` +
        `its 95 % CI from the points' scatter about the line (Student t, k - 2 degrees of freedom) above 0.`,
      halves: (a) => [
        ...largeIoTests.map((metric) =>
          lowerHalf(
            a,
            { name: `${metric} collapse`, experiment: fig05, metric, unit: 'MB/s' },
            'vmm-aoe-cache-off',
            'vmm-aoe-cache-on',
            collapseFraction,
          ),
        ),
        accessLatencyHalf(a),
        rttGrowthHalf(a, 'vmm-aoe-cache-off'),
        rttGrowthHalf(a, 'vmm-aoe-cache-on'),
      ],
    },
    {
      id: 'C7',
      claim: 'Applications run on par with local except memory-heavy tests',
      paperFigure: 'Fig. 9 (5.6)',
      paper: '>= 1 for loading, scan, media; < 1 for web rendering, mail search and copy',
      rule:
        `One half per test, score = local time / cache-on time; a test that did not run is named and leaves the claim "not run". ` +
        `Tests the paper found at or above local (${testNames(false)}): score >= ${parityFloor}, i.e. ${below0(`cache on - local / ${parityFloor}`, 's')}. ` +
        `Memory-heavy tests (${testNames(true)}): score < 1, i.e. ${below0('local - cache on', 's')}, AND score below each of the other tests' scores, ` +
        `i.e. the 95 % CI of the ratio of the two scores (delta method on log means, Welch-Satterthwaite) below 1. The paper's sentence contrasts these tests with the others ` +
        `(below local where the others are at or above it); "< 1" alone cannot tell them apart here, where every network path scores below 1 wherever the disk dominates.`,
      halves: (a) => applicationHalves(a, tests),
    },
    {
      id: 'C8',
      claim: 'The thin VMM boots faster than a KVM host, and so does the OS on it',
      paperFigure: 'Fig. 10 (5.7)',
      paper: 'VMM boot 20 s shorter; OS boot 12 s shorter',
      rule:
        `Two halves, vmm-pxe-aoe-cache-on (the VMM loaded over the network, as the paper's gPXE) vs kvm-nfs, each ours faster, i.e. ${below0('ours - KVM', 's')}: ` +
        `(1) VMM boot (power-on to the hand-over to the guest; KVM: to the host starting the guest), (2) OS boot (GRUB to login).`,
      halves: (a) => [
        lowerHalf(
          a,
          { name: 'VMM boot', experiment: fig10, metric: 'vmm-boot', unit: 's' },
          'vmm-pxe-aoe-cache-on',
          'kvm-nfs',
        ),
        lowerHalf(
          a,
          { name: 'OS boot', experiment: fig10, metric: 'os-boot', unit: 's' },
          'vmm-pxe-aoe-cache-on',
          'kvm-nfs',
        ),
      ],
    },
    {
      id: 'C9',
      claim: 'Throughput is higher than KVM + NFS',
      paperFigure: 'Fig. 11 (5.7)',
      paper: '+21.8, +46.6, +21.6, +56.1 MB/s (seq R/W, 512K R/W)',
      rule: `Four halves, ${largeIoTests.join(', ')}, each vmm-aoe-cache-on above KVM + NFS, i.e. ${below0('KVM - ours', 'MB/s')}.`,
      halves: (a) =>
        largeIoTests.map((metric) =>
          lowerHalf(a, { name: metric, experiment: fig11, metric, unit: 'MB/s' }, 'kvm-nfs', 'vmm-aoe-cache-on'),
        ),
    },
  ];
}

/** The paper's claims C1-C9, each with its verdict on this run's data and the rule that decided it. */
export function evaluateClaims(analyses: Analyses, applicationTests: ApplicationTests): ClaimVerdict[] {
  return claimSpecs(applicationTests).map(({ halves, ...claim }) => {
    const judged = halves(analyses);
    return {
      ...claim,
      ours: judged.map(describeHalf).join('; '),
      halves: judged.map((half) => ({ name: half.name, verdict: verdictLabel(half.decision) })),
      ...combine(judged.map((half) => half.decision)),
    };
  });
}
