import { describe, expect, it } from 'vitest';
import type { ExperimentAnalysis } from '../core/analysis.js';
import { evaluateClaims, lowerThan, predictedCacheOffThroughput, slope } from '../core/claims.js';
import { summarise } from '../core/statistics.js';

const memoryHeavy = new Set(['mail-search', 'mail-copy']);

function bootAnalysis(values: Partial<Record<'local' | 'vmm-local' | 'vmm-aoe-cache-on' | 'vmm-aoe-cache-off', number[]>>): ExperimentAnalysis {
  return {
    experiment: 'fig04-boot-time',
    figure: 4,
    configurations: Object.fromEntries(
      Object.entries(values).map(([configuration, osBoot]) => [
        configuration,
        { status: 'ran', repetitions: osBoot.length, metrics: { 'os-boot': { unit: 's', points: [{ x: null, ...summarise(osBoot) }] } } },
      ]),
    ),
  };
}

const claim = (analyses: Map<string, ExperimentAnalysis>, id: string) => evaluateClaims(analyses, memoryHeavy).find((c) => c.id === id)!;

describe('claims verdicts', () => {
  it('C1 is reproduced only when cache-on boot is clearly faster than local', () => {
    const faster = new Map([['fig04-boot-time', bootAnalysis({ local: [30, 31, 32], 'vmm-aoe-cache-on': [20, 21, 22] })]]);
    expect(claim(faster, 'C1').verdict).toBe('reproduced');
    const overlapping = new Map([['fig04-boot-time', bootAnalysis({ local: [30, 35, 25], 'vmm-aoe-cache-on': [29, 33, 28] })]]);
    expect(claim(overlapping, 'C1').verdict).toBe('differs');
    const slower = new Map([['fig04-boot-time', bootAnalysis({ local: [30], 'vmm-aoe-cache-on': [40] })]]);
    expect(claim(slower, 'C1')).toMatchObject({ verdict: 'differs' });
    expect(claim(slower, 'C1').ours).toMatch(/single repetition/);
  });

  it('a claim without its data is "not run", never a verdict', () => {
    const onlyLocal = new Map([['fig04-boot-time', bootAnalysis({ local: [30, 31] })]]);
    const claims = evaluateClaims(onlyLocal, memoryHeavy);
    expect(claims.map((c) => c.id)).toEqual(['C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7', 'C8', 'C9']);
    for (const c of claims) expect(c.verdict).toBe('not run');
    for (const c of claims) expect(c.rule.length).toBeGreaterThan(10);
  });

  it('C3 uses the stated 10 % tolerance for "about the same"', () => {
    const close = new Map([['fig04-boot-time', bootAnalysis({ local: [30], 'vmm-local': [32.9] })]]);
    expect(claim(close, 'C3').verdict).toBe('reproduced');
    const far = new Map([['fig04-boot-time', bootAnalysis({ local: [30], 'vmm-local': [33.3] })]]);
    expect(claim(far, 'C3').verdict).toBe('differs');
  });

  it('lowerThan needs the whole Welch interval below zero', () => {
    expect(lowerThan(summarise([1, 2, 3]), summarise([10, 11, 12])).holds).toBe(true);
    expect(lowerThan(summarise([1, 5, 9]), summarise([6, 7, 8])).holds).toBe(false);
  });

  it("predicts the cache-off throughput from the extra time per access (the paper's 5.5 arithmetic)", () => {
    // 1 MiB at 100 MB/s takes 10.49 ms; 12 ms more per access gives 1.048576 MB / 22.49 ms.
    expect(predictedCacheOffThroughput(100, 12)).toBeCloseTo(1.048576 / 0.02248576, 9);
    expect(predictedCacheOffThroughput(100, 0)).toBeCloseTo(100, 12);
  });

  it('slope detects RTT growing with the packet index', () => {
    expect(slope([{ x: 0, y: 1 }, { x: 1, y: 3 }, { x: 2, y: 5 }])).toBeCloseTo(2, 12);
    expect(slope([{ x: 0, y: 5 }, { x: 1, y: 5 }])).toBe(0);
  });
});
