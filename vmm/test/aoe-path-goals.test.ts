// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { syntheticAnalysis as analysis } from '../../artifact/test/support/synthetic-analysis.js';
import { judgeGoal } from '../../artifact/core/speed-goals.js';
import { aoePathGoals, aoePathMarkdown, frameBreakdowns } from '../bench/aoe-path-goals.js';

const goal = (id: string) => aoePathGoals.find((g) => g.id === id)!;

describe('AoE path goals', () => {
  const analyses = new Map([
    [
      'fig05-disk-throughput',
      analysis('fig05-disk-throughput', {
        'vmm-aoe-cache-on': { 'seq-read': [30, 31, 32], 'rand4k-read': [1.0, 1.1, 0.9] },
        'guest-aoe-initiator': { 'seq-read': [40, 41, 42], 'rand4k-read': [1.0, 1.5, 0.5] },
        'vmm-aoe-jumbo-cache-on': { 'seq-read': [100, 101, 102] },
      }),
    ],
    [
      'fig04-boot-time',
      analysis('fig04-boot-time', {
        'vmm-aoe-cache-on': { 'os-boot': [30, 30.5, 31] },
        'ipxe-sanboot-aoe': { 'os-boot': [40, 40.5, 41] },
      }),
    ],
    [
      'fig08-aoe-rtt',
      analysis('fig08-aoe-rtt', {
        'vmm-aoe-cache-on': {
          'frame-busy': [50, 52, 54],
          'frame-transmit': [10, 10, 10],
          'frame-doorbell': [20, 21, 22],
          'frame-receive': [15, 16, 17],
          'frame-idle': [4, 4, 4],
          'frame-other': [1, 1, 1],
        },
        'probe-aoe-cache-on': { 'probe-seq-read': [70, 75, 80] },
      }),
    ],
  ]);

  it('judges "at least" and "at most" goals by the interval of subject - factor x reference', () => {
    expect(judgeGoal(analyses, goal('G1')).verdict).toBe('not met'); // 31 vs 1.5 x 41
    expect(judgeGoal(analyses, goal('G2')).verdict).toBe('not met'); // 31 vs 0.6 x 75 = 45
    expect(judgeGoal(analyses, goal('G3')).verdict).toBe('inconclusive'); // 1.0 vs 1.0, wide spread
    expect(judgeGoal(analyses, goal('G4')).verdict).toBe('met'); // 30.5 vs 0.95 x 40.5
    expect(judgeGoal(analyses, goal('G5')).verdict).toBe('met'); // 101 vs 3 x 31
    expect(judgeGoal(analyses, goal('G5')).text).toMatch(/ratio 3\.26 \(goal at least 3\)/);
  });

  it('says which row is missing, and marks a verdict from fewer than three repetitions as indicative', () => {
    const judged = judgeGoal(new Map([...analyses].filter(([id]) => id !== 'fig08-aoe-rtt')), goal('G2'));
    expect(judged).toMatchObject({ verdict: 'not run', text: expect.stringMatching(/probe-aoe-cache-on/) });
    const two = new Map(analyses);
    two.set(
      'fig05-disk-throughput',
      analysis('fig05-disk-throughput', {
        'vmm-aoe-cache-on': { 'seq-read': [30, 31] },
        'vmm-aoe-jumbo-cache-on': { 'seq-read': [100, 101] },
      }),
    );
    expect(judgeGoal(two, goal('G5'))).toMatchObject({ verdict: 'met', indicative: true });
  });

  it('lists the per-frame breakdown of each configuration that has one', () => {
    const breakdowns = frameBreakdowns(analyses);
    expect(breakdowns.map((b) => b.configuration)).toEqual(['vmm-aoe-cache-on']);
    expect(breakdowns[0]!.phases).toEqual({ transmit: 10, doorbell: 21, receive: 16, idle: 4, other: 1 });
    const markdown = aoePathMarkdown(
      aoePathGoals.map((g) => judgeGoal(analyses, g)),
      breakdowns,
    );
    expect(markdown).toMatch(/\| G4 \| .* \| \*\*met\*\* \|/);
    expect(markdown).toMatch(
      /\| vmm-aoe-cache-on \| 52\.0 \[47\.0, 57\.0\] \| 10\.0 \| 21\.0 \| 16\.0 \| 4\.00 \| 1\.00 \|/,
    );
  });
});
