// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import type { ExperimentAnalysis } from '../core/analysis.js';
import {
  aboutEqual,
  combine,
  decide,
  evaluateClaims,
  fitSlope,
  logScoreRatio,
  lowerThan,
  predictedCacheOffThroughput,
  slope,
  verdictLabel,
  type ApplicationTests,
  type ClaimVerdict,
} from '../core/claims.js';
import type { ConfigurationId } from '../core/configurations.js';
import { summarise } from '../core/statistics.js';
import { claimsTable } from '../report/html.js';

const tests: ApplicationTests = {
  'app-loading': { memoryHeavy: false },
  'defender-scan': { memoryHeavy: false },
  'mail-search': { memoryHeavy: true },
  'web-render': { memoryHeavy: true },
};

/** One measured series: `n` repetitions spread +-1 % around `mean` (at packet index `x` for curves). */
interface Entry {
  experiment: string;
  configuration: ConfigurationId;
  metric: string;
  values: number[];
  x?: number;
}

const spread = (mean: number, n: number) => Array.from({ length: n }, (_, i) => mean * (1 + 0.01 * (i - (n - 1) / 2)));
const entry = (experiment: string, configuration: ConfigurationId, metric: string, mean: number, n: number): Entry => ({
  experiment,
  configuration,
  metric,
  values: spread(mean, n),
});

/** Synthetic analyses, as analyseResult would produce them from these repetitions. */
function analyses(entries: readonly Entry[]): Map<string, ExperimentAnalysis> {
  const result = new Map<string, ExperimentAnalysis>();
  for (const e of entries) {
    const analysis = result.get(e.experiment) ?? { experiment: e.experiment, figure: 0, configurations: {} };
    const configuration = analysis.configurations[e.configuration] ?? {
      status: 'ran',
      repetitions: e.values.length,
      metrics: {},
    };
    if (configuration.status !== 'ran') throw new Error('unreachable');
    const metric = configuration.metrics[e.metric] ?? { unit: 'u', points: [] };
    metric.points.push({ x: e.x ?? null, ...summarise(e.values) });
    configuration.metrics[e.metric] = metric;
    analysis.configurations[e.configuration] = configuration;
    result.set(e.experiment, analysis);
  }
  return result;
}

const claimOf = (data: Map<string, ExperimentAnalysis>, id: string) =>
  evaluateClaims(data, tests).find((c) => c.id === id)!;

/** One half of a claim: the data that satisfy it, or clearly contradict it. */
type HalfData = (holds: boolean, n: number) => Entry[];

/** `lower` measures `low` against `higher`'s `high`; failing, it measures 30 % above `high`. */
const lowerIs =
  (
    experiment: string,
    metric: string,
    lower: ConfigurationId,
    higher: ConfigurationId,
    low: number,
    high: number,
  ): HalfData =>
  (holds, n) => [
    entry(experiment, lower, metric, holds ? low : high * 1.3, n),
    entry(experiment, higher, metric, high, n),
  ];

const aboutEqualTo =
  (experiment: string, metric: string, configuration: ConfigurationId, baseline: number): HalfData =>
  (holds, n) => [
    entry(experiment, configuration, metric, baseline * (holds ? 1.02 : 1.3), n),
    entry(experiment, 'local', metric, baseline, n),
  ];

const rttCurve =
  (configuration: ConfigurationId): HalfData =>
  (holds, n) =>
    Array.from({ length: 32 }, (_, x) => ({
      ...entry('fig08-aoe-rtt', configuration, 'rtt', holds ? 1 + 0.01 * x + 0.002 * (x % 3) : 2 - 0.01 * x, n),
      x,
    }));

/** Fig. 9 times (s), local 10. Cache on: at parity 10 (failing: 20); memory-heavy 25 (failing: 8, faster than local). */
const appTest =
  (test: string): HalfData =>
  (holds, n) => {
    const onTime = tests[test]!.memoryHeavy ? (holds ? 25 : 8) : holds ? 10 : 20;
    return [
      entry('fig09-application-benchmark', 'local', test, 10, n),
      entry('fig09-application-benchmark', 'vmm-aoe-cache-on', test, onTime, n),
    ];
  };

const fig04 = 'fig04-boot-time';
const fig05 = 'fig05-disk-throughput';
const disk = ['seq-read', 'seq-write', 'rand512k-read', 'rand512k-write', 'rand4k-read', 'rand4k-write'];
const largeIo = disk.slice(0, 4);

/** Every claim, half by half, with data that make each half hold or fail independently of the others. */
const claimHalves: Record<string, Record<string, HalfData>> = {
  C1: {
    'OS boot': lowerIs(fig04, 'os-boot', 'vmm-aoe-cache-on', 'local', 20, 30),
    'incl. VMM boot': lowerIs(fig04, 'total-boot', 'vmm-pxe-aoe-cache-on', 'local', 30, 40),
  },
  C2: {
    'OS boot': (holds, n) => [
      entry(fig04, 'local', 'os-boot', 30, n),
      entry(fig04, 'vmm-aoe-cache-off', 'os-boot', holds ? 55 : 20, n),
    ],
    'incl. VMM boot': (holds, n) => [
      entry(fig04, 'local', 'total-boot', 40, n),
      entry(fig04, 'vmm-aoe-cache-off', 'total-boot', holds ? 70 : 30, n),
    ],
  },
  C3: {
    'OS boot': aboutEqualTo(fig04, 'os-boot', 'vmm-local', 30),
    ...Object.fromEntries(disk.map((metric) => [metric, aboutEqualTo(fig05, metric, 'vmm-local', 50)])),
  },
  C4: {
    'seq-read': (holds, n) => [
      entry(fig05, 'local', 'seq-read', 45, n),
      entry(fig05, 'vmm-aoe-cache-on', 'seq-read', holds ? 58 : 35, n),
    ],
  },
  C5: Object.fromEntries(
    ['rand4k-read', 'rand4k-write'].map((metric) => [metric, aboutEqualTo(fig05, metric, 'vmm-aoe-cache-off', 1)]),
  ),
  C6: {
    // Failing collapse: cache off at 75 % of cache on, lower but no collapse.
    ...Object.fromEntries(
      largeIo.map((metric) => [
        `${metric} collapse`,
        (holds: boolean, n: number) => [
          entry(fig05, 'vmm-aoe-cache-off', metric, holds ? 8 : 45, n),
          entry(fig05, 'vmm-aoe-cache-on', metric, 60, n),
        ],
      ]),
    ),
    'time per access': (holds, n) => [
      entry('fig08-aoe-rtt', 'vmm-aoe-cache-on', 'access-latency', holds ? 10 : 22, n),
      entry('fig08-aoe-rtt', 'vmm-aoe-cache-off', 'access-latency', holds ? 22 : 10, n),
    ],
    'RTT growth, vmm-aoe-cache-off': rttCurve('vmm-aoe-cache-off'),
    'RTT growth, vmm-aoe-cache-on': rttCurve('vmm-aoe-cache-on'),
  },
  C7: Object.fromEntries(Object.keys(tests).map((test) => [test, appTest(test)])),
  C8: {
    'VMM boot': lowerIs('fig10-kvm-boot-time', 'vmm-boot', 'vmm-pxe-aoe-cache-on', 'kvm-nfs', 8, 30),
    'OS boot': lowerIs('fig10-kvm-boot-time', 'os-boot', 'vmm-pxe-aoe-cache-on', 'kvm-nfs', 60, 80),
  },
  C9: Object.fromEntries(
    largeIo.map((metric) => [
      metric,
      (holds: boolean, n: number) => [
        entry('fig11-kvm-throughput', 'kvm-nfs', metric, 40, n),
        entry('fig11-kvm-throughput', 'vmm-aoe-cache-on', metric, holds ? 60 : 30, n),
      ],
    ]),
  ),
};

/** A claim's data with every half holding, except `failing`, and `n` repetitions per side (or per half). */
function claimData(
  id: string,
  options: { failing?: string; n?: number | Record<string, number>; without?: string } = {},
): Map<string, ExperimentAnalysis> {
  const halves = Object.entries(claimHalves[id]!).filter(([name]) => name !== options.without);
  const n = (name: string) => (typeof options.n === 'object' ? options.n[name]! : (options.n ?? 3));
  return analyses(halves.flatMap(([name, data]) => data(name !== options.failing, n(name))));
}

const claimIds = Object.keys(claimHalves);
const halfCases = claimIds.flatMap((id) => Object.keys(claimHalves[id]!).map((half) => ({ id, half })));
const verdictsIn = (c: ClaimVerdict) => [...c.ours.matchAll(/→ ([a-z: ]+?)(?=;|$)/g)].map((m) => m[1]);

describe('claims verdicts, rule by rule', () => {
  it.each(claimIds)('%s: data that satisfy every half, 3 repetitions a side -> reproduced (confident)', (id) => {
    const c = claimOf(claimData(id), id);
    expect(c, c.ours).toMatchObject({ verdict: 'reproduced', strength: 'confident' });
    expect(verdictsIn(c)).toEqual(Object.keys(claimHalves[id]!).map(() => 'reproduced'));
  });

  it.each(halfCases)('$id, half "$half": data that contradict it -> differs, named in ours', ({ id, half }) => {
    const c = claimOf(claimData(id, { failing: half }), id);
    expect(c, c.ours).toMatchObject({ verdict: 'differs', strength: 'confident' });
    expect(c.ours).toMatch(new RegExp(`${half.replace(/[().,]/g, '\\$&')}[^;]*→ differs`));
    expect(verdictsIn(c).filter((v) => v === 'differs')).toHaveLength(1);
  });

  it.each(claimIds)('%s: one or two repetitions -> indicative, never a plain verdict', (id) => {
    for (const n of [1, 2]) {
      expect(claimOf(claimData(id, { n }), id)).toMatchObject({ verdict: 'reproduced', strength: 'indicative' });
      const failing = Object.keys(claimHalves[id]!)[0]!;
      const c = claimOf(claimData(id, { n, failing }), id);
      expect(c).toMatchObject({ verdict: 'differs', strength: 'indicative' });
      expect(verdictLabel(c)).toBe('indicative: differs');
    }
  });

  it.each(halfCases)('$id, half "$half" without data -> not run, named in ours', ({ id, half }) => {
    const c = claimOf(claimData(id, { without: half }), id);
    expect(c).toMatchObject({ verdict: 'not run', strength: null });
    expect(c.ours).toMatch(/no data \(/);
  });

  it('a claim with no data at all is "not run", never a verdict', () => {
    const claims = evaluateClaims(new Map(), tests);
    expect(claims.map((c) => c.id)).toEqual(['C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7', 'C8', 'C9']);
    for (const c of claims) expect(c).toMatchObject({ verdict: 'not run', strength: null });
    for (const c of claims) expect(c.rule.length).toBeGreaterThan(40);
    expect(claimOf(new Map(), 'C7').ours).toMatch(/web-render: no data/);
  });

  it('one half with fewer repetitions makes the whole claim indicative', () => {
    const c = claimOf(claimData('C1', { n: { 'OS boot': 3, 'incl. VMM boot': 1 } }), 'C1');
    expect(c).toMatchObject({ verdict: 'reproduced', strength: 'indicative' });
    expect(c.ours).toMatch(/OS boot: [^;]*→ reproduced/);
    expect(c.ours).toMatch(/single repetition: no interval\) → indicative: reproduced/);
  });

  it('a confidently differing half outweighs a half that did not run', () => {
    const data = analyses(claimHalves.C1!['OS boot']!(false, 3));
    expect(claimOf(data, 'C1')).toMatchObject({ verdict: 'differs', strength: 'confident' });
  });

  it('overlapping intervals are inconclusive, for "lower" and for "about equal" rules', () => {
    const boot = analyses([
      { experiment: fig04, configuration: 'local', metric: 'os-boot', values: [25, 30, 35] },
      { experiment: fig04, configuration: 'vmm-aoe-cache-on', metric: 'os-boot', values: [24, 29, 34] },
      ...claimHalves.C1!['incl. VMM boot']!(true, 3),
    ]);
    expect(claimOf(boot, 'C1')).toMatchObject({ verdict: 'inconclusive', strength: null });
    // vmm-local 10 % above local: the interval of the relative difference straddles +10 %.
    const edge = analyses([
      entry(fig05, 'vmm-aoe-cache-off', 'rand4k-read', 1.1, 3),
      entry(fig05, 'local', 'rand4k-read', 1, 3),
      ...claimHalves.C5!['rand4k-write']!(true, 3),
    ]);
    expect(claimOf(edge, 'C5')).toMatchObject({ verdict: 'inconclusive', strength: null });
  });

  it('C7 names a test that did not run instead of dropping it', () => {
    const c = claimOf(claimData('C7', { without: 'web-render' }), 'C7');
    expect(c.verdict).toBe('not run');
    expect(c.ours).toMatch(/web-render: no data \(fig09-application-benchmark web-render for local\) → not run/);
  });

  it('C7 does not count a memory-heavy test as below local when every test is equally below local', () => {
    // Every test at score 0.6: the network path is slow everywhere, nothing singles out the memory-heavy ones.
    const data = analyses(
      Object.keys(tests).flatMap((test) => [
        entry('fig09-application-benchmark', 'local', test, 6, 3),
        entry('fig09-application-benchmark', 'vmm-aoe-cache-on', test, 10, 3),
      ]),
    );
    const c = claimOf(data, 'C7');
    expect(c.verdict).toBe('differs');
    expect(c.ours).toMatch(/mail-search: [^;]*→ inconclusive/);
    expect(c.ours).toMatch(/web-render: [^;]*→ inconclusive/);
  });

  it('C7 wants a memory-heavy test below the tests at parity, not only below 1', () => {
    // Tests at parity score 0.97, the memory-heavy ones 0.99: each below 1, yet above the others.
    const tight = (mean: number) => [mean - 0.01, mean, mean + 0.01];
    const data = analyses(
      Object.keys(tests).flatMap((test): Entry[] => [
        { experiment: 'fig09-application-benchmark', configuration: 'local', metric: test, values: tight(10) },
        {
          experiment: 'fig09-application-benchmark',
          configuration: 'vmm-aoe-cache-on',
          metric: test,
          values: tight(tests[test]!.memoryHeavy ? 10.1 : 10.3),
        },
      ]),
    );
    const c = claimOf(data, 'C7');
    expect(c.ours).toMatch(/app-loading: [^;]*→ reproduced/);
    expect(c.ours).toMatch(
      /mail-search: score 0.99, local - cache-on time -0.100 s [^;]*app-loading 1.02 [^;]*→ differs/,
    );
    expect(c.verdict).toBe('differs');
  });

  it('C8 judges the PXE-loaded VMM, not the one QEMU loads', () => {
    const data = analyses(
      Object.values(claimHalves.C8!)
        .flatMap((half) => half(true, 3))
        .map((e) => ({
          ...e,
          configuration: e.configuration === 'vmm-pxe-aoe-cache-on' ? 'vmm-aoe-cache-on' : e.configuration,
        })),
    );
    expect(claimOf(data, 'C8').verdict).toBe('not run');
  });

  it("C6 gives the paper's 5.5 arithmetic beside the access-latency half", () => {
    const c = claimOf(claimData('C6'), 'C6');
    // Cache on 60 MB/s, 12 ms more per access with the cache off.
    expect(c.ours).toContain(
      `predicts cache-off seq read ${predictedCacheOffThroughput(60, 12).toPrecision(3)} MB/s, measured 8.00`,
    );
  });
});

describe('claims table in the report', () => {
  it('renders indicative verdicts with their own words and CSS class, and explains them', () => {
    const html = claimsTable([
      claimOf(claimData('C4', { n: 1 }), 'C4'),
      claimOf(claimData('C4'), 'C4'),
      claimOf(new Map(), 'C9'),
    ]);
    expect(html).toContain('<tr class="indicative-reproduced"><td>C4</td>');
    expect(html).toContain('<td>indicative: reproduced</td>');
    expect(html).toContain('<tr class="reproduced"><td>C4</td>');
    expect(html).toContain('<tr class="not-run"><td>C9</td>');
    expect(html).toMatch(/at least 3 repetitions/);
  });
});

describe('claims statistics', () => {
  it('lowerThan: the whole Welch interval below zero, the opposite side differs, across zero inconclusive', () => {
    expect(lowerThan(summarise([1, 2, 3]), summarise([10, 11, 12])).decision).toEqual({
      verdict: 'reproduced',
      strength: 'confident',
    });
    expect(lowerThan(summarise([10, 11, 12]), summarise([1, 2, 3])).decision).toEqual({
      verdict: 'differs',
      strength: 'confident',
    });
    expect(lowerThan(summarise([1, 5, 9]), summarise([6, 7, 8])).decision.verdict).toBe('inconclusive');
    expect(lowerThan(summarise([5]), summarise([6])).decision).toEqual({
      verdict: 'reproduced',
      strength: 'indicative',
    });
    // 8 < 0.5 x 20 but not < 0.5 x 14.
    expect(lowerThan(summarise([7.9, 8, 8.1]), summarise([19.9, 20, 20.1]), 0.5).decision.verdict).toBe('reproduced');
    expect(lowerThan(summarise([7.9, 8, 8.1]), summarise([13.9, 14, 14.1]), 0.5).decision.verdict).toBe('differs');
  });

  it('aboutEqual: the interval of the relative difference inside +-10 %, entirely outside, or across the edge', () => {
    expect(aboutEqual(summarise([31.9, 32, 32.1]), summarise([29.9, 30, 30.1])).decision.verdict).toBe('reproduced');
    expect(aboutEqual(summarise([33.9, 34, 34.1]), summarise([29.9, 30, 30.1])).decision.verdict).toBe('differs');
    expect(aboutEqual(summarise([26, 33, 40]), summarise([29.9, 30, 30.1])).decision.verdict).toBe('inconclusive');
    expect(aboutEqual(summarise([32.9]), summarise([30])).decision).toEqual({
      verdict: 'reproduced',
      strength: 'indicative',
    });
    expect(aboutEqual(summarise([33.3]), summarise([30])).decision).toEqual({
      verdict: 'differs',
      strength: 'indicative',
    });
    expect(aboutEqual(summarise([33, 34]), summarise([30, 30.2])).estimate.value).toBeCloseTo(33.5 / 30.1 - 1, 12);
  });

  it('decide: fewer than 3 repetitions let the estimate decide even when an interval exists', () => {
    const estimate = { value: -1, ciLow: -5, ciHigh: 3 };
    expect(decide(estimate, { low: -Infinity, high: 0 }, 2)).toEqual({ verdict: 'reproduced', strength: 'indicative' });
    expect(decide(estimate, { low: -Infinity, high: 0 }, 3)).toEqual({ verdict: 'inconclusive', strength: null });
  });

  it('combine: every half for reproduced, any half for differs', () => {
    const confident = { verdict: 'reproduced', strength: 'confident' } as const;
    expect(combine([confident, { verdict: 'reproduced', strength: 'indicative' }])).toEqual({
      verdict: 'reproduced',
      strength: 'indicative',
    });
    expect(
      combine([confident, { verdict: 'differs', strength: 'indicative' }, { verdict: 'not run', strength: null }]),
    ).toEqual({ verdict: 'differs', strength: 'indicative' });
    expect(combine([confident, { verdict: 'inconclusive', strength: null }])).toEqual({
      verdict: 'inconclusive',
      strength: null,
    });
    expect(
      combine([confident, { verdict: 'not run', strength: null }, { verdict: 'inconclusive', strength: null }]),
    ).toEqual({ verdict: 'not run', strength: null });
    expect(combine([])).toEqual({ verdict: 'not run', strength: null });
  });

  it('slope and its interval detect RTT growing with the packet index', () => {
    expect(
      slope([
        { x: 0, y: 1 },
        { x: 1, y: 3 },
        { x: 2, y: 5 },
      ]),
    ).toBeCloseTo(2, 12);
    expect(
      slope([
        { x: 0, y: 5 },
        { x: 1, y: 5 },
      ]),
    ).toBe(0);
    expect(
      fitSlope([
        { x: 0, y: 1 },
        { x: 1, y: 3 },
        { x: 2, y: 5 },
      ]),
    ).toEqual({ value: 2, ciLow: 2, ciHigh: 2 });
    expect(
      fitSlope([
        { x: 0, y: 1 },
        { x: 1, y: 3 },
      ]).ciLow,
    ).toBeNull();
    // Slope 3 / 5; residuals 0.4, -1.2, 1.2, -0.4 (sum of squares 3.2, 2 degrees of freedom), sxx 5, t(2) = 4.3027.
    const fit = fitSlope([
      { x: 0, y: 1 },
      { x: 1, y: 0 },
      { x: 2, y: 3 },
      { x: 3, y: 2 },
    ]);
    expect(fit.value).toBeCloseTo(0.6, 12);
    expect(fit.ciHigh! - fit.value).toBeCloseTo(4.302652729749464 * Math.sqrt(3.2 / 2 / 5), 9);
  });

  it('logScoreRatio: log of one score over another, with a delta-method interval', () => {
    const m = { test: 'm', local: summarise([9.9, 10, 10.1]), on: summarise([24.9, 25, 25.1]) };
    const o = { test: 'o', local: summarise([9.9, 10, 10.1]), on: summarise([9.9, 10, 10.1]) };
    const ratio = logScoreRatio(m, o);
    expect(Math.exp(ratio.value)).toBeCloseTo(0.4, 12);
    expect(ratio.ciHigh!).toBeLessThan(0);
    expect(ratio.ciLow!).toBeLessThan(ratio.value);
    expect(logScoreRatio({ ...m, on: summarise([25]) }, o).ciLow).toBeNull();
  });

  it("predicts the cache-off throughput from the extra time per access (the paper's 5.5 arithmetic)", () => {
    // 1 MiB at 100 MB/s takes 10.49 ms; 12 ms more per access gives 1.048576 MB / 22.49 ms.
    expect(predictedCacheOffThroughput(100, 12)).toBeCloseTo(1.048576 / 0.02248576, 9);
    expect(predictedCacheOffThroughput(100, 0)).toBeCloseTo(100, 12);
  });
});
