// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { judgeGoal } from '../../artifact/core/speed-goals.js';
import { syntheticAnalysis as analysis } from '../../artifact/test/support/synthetic-analysis.js';
import { parallelServerGoals } from '../bench/parallel-goals.js';

const goal = (id: string) => parallelServerGoals.find((g) => g.id === id)!;

describe("aoe-parallel's goals", () => {
  const analyses = new Map([
    [
      'fig05-disk-throughput',
      analysis('fig05-disk-throughput', {
        'vmm-aoe-cache-off': { 'seq-read': [10, 11, 12] },
        'vmm-aoe-parallel-cache-off': {
          'seq-read': [40, 41, 42],
          'rand4k-read': [2.0, 2.01, 2.02],
          'rand4k-write': [1, 1, 1.1],
        },
        'vmm-aoe-parallel-cache-on': { 'rand4k-read': [2.05, 2.06, 2.07], 'rand4k-write': [2, 2.1, 2] },
      }),
    ],
    [
      'fig08-aoe-rtt',
      analysis('fig08-aoe-rtt', {
        'vmm-aoe-parallel-cache-off': { rtt: { 0: [0.5, 0.52, 0.51], 1: [0.6, 0.6, 0.6], 511: [0.55, 0.56, 0.57] } },
        // one repetition's reads were split into shorter commands: index 1023 has two samples
        'vmm-aoe-cache-off': { rtt: { 0: [0.5, 0.5, 0.5], 511: [4.4, 4.5, 4.6], 1023: [0.5, 0.5] } },
      }),
    ],
  ]);

  it('judges the seq-read, 4K and RTT-flatness goals from one run', () => {
    expect(judgeGoal(analyses, goal('P1')).verdict).toBe('met'); // 41 vs 3 x 11
    expect(judgeGoal(analyses, goal('P2')).verdict).toBe('met'); // 2.01 vs 0.9 x 2.06
    expect(judgeGoal(analyses, goal('P3')).verdict).toBe('not met'); // 1.03 vs 0.9 x 2.03
    expect(judgeGoal(analyses, goal('P4')).verdict).toBe('met'); // the last index (511), not index 1
    expect(judgeGoal(analyses, goal('P4')).text).toMatch(
      /vmm-aoe-parallel-cache-off rtt\[last\] 0\.56.* rtt\[0\] 0\.51/,
    );
    expect(judgeGoal(analyses, goal('P5')).verdict).toBe('not met'); // 4.5 (at 511, all three) vs 1.5 x 0.5
  });

  it('says which row is missing', () => {
    const judged = judgeGoal(new Map([...analyses].filter(([id]) => id !== 'fig08-aoe-rtt')), goal('P4'));
    expect(judged).toMatchObject({
      verdict: 'not run',
      text: expect.stringMatching(/fig08-aoe-rtt rtt for vmm-aoe-parallel-cache-off/),
    });
  });
});
