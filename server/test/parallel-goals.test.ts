// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { judgeGoal } from '../../artifact/core/speed-goals.js';
import { syntheticAnalysis as analysis } from '../../artifact/test/support/synthetic-analysis.js';
import { parallelServerGoals } from '../bench/parallel-goals.js';
import { bootStormGoals } from '../bench/storm-goals.js';

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

describe("the boot storm's checks", () => {
  const storm = (rows: Parameters<typeof analysis>[1]) =>
    new Map([['fig14-boot-storm', analysis('fig14-boot-storm', rows)]]);
  const check = (id: string) => bootStormGoals.find((g) => g.id === id)!;

  it('puts a replay inside or outside its margin of the real boot', () => {
    const analyses = storm({
      'storm-parallel-cache-on': {
        'storm-span': { 1: [50, 51, 52], 2: [60, 61, 62] },
        'real-login': { 1: [50, 50.5, 51], 2: [45, 46, 47] },
        'client-disk-time': { 1: [1.0, 1.1, 1.0], 64: [10, 11, 12] },
        'real-disk-time': { 1: [2.5, 2.6, 2.5] },
      },
      'storm-vblade-cache-on': { 'client-disk-time': { 64: [25, 27, 29] } },
    });
    expect(judgeGoal(analyses, check('V1-parallel-cache-on')).verdict).toBe('met'); // 51 against 50.5, margin 0.9-1.1
    expect(judgeGoal(analyses, check('V2-parallel-cache-on')).verdict).toBe('not met'); // 61 against 1.2 x 46
    expect(judgeGoal(analyses, check('V2-parallel-cache-on')).text).toMatch(/goal within 0\.8-1\.2/);
    expect(judgeGoal(analyses, check('V3')).verdict).toBe('not met'); // 1.03 against 0.8 x 2.53
    expect(judgeGoal(analyses, check('S2')).verdict).toBe('met');
    expect(judgeGoal(analyses, check('V1-vblade-cache-off')).verdict).toBe('not run');
  });

  it('is inconclusive when the interval crosses a bound', () => {
    const analyses = storm({
      'storm-parallel-cache-on': { 'storm-span': { 1: [40, 50, 60] }, 'real-login': { 1: [50, 50, 50] } },
    });
    expect(judgeGoal(analyses, check('V1-parallel-cache-on')).verdict).toBe('inconclusive');
  });
});
