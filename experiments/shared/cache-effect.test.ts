// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import type { AccountingSample } from '../../server/sampler.js';
import { cumulativeOnGrid, ratesOnGrid } from './cache-effect.js';

const start = 1_000_000;
/** A sample `ms` after QEMU started with the given cumulative MB (issued read, reached read, issued write, reached write). */
function sample(ms: number, [ir, rr, iw, rw]: [number, number, number, number]): AccountingSample {
  return {
    tMs: ms,
    epochMs: start + ms,
    issuedReadBytes: ir * 1e6,
    reachedReadBytes: rr * 1e6,
    issuedWriteBytes: iw * 1e6,
    reachedWriteBytes: rw * 1e6,
  };
}

const samples = [
  sample(0, [0, 0, 0, 0]),
  sample(2_400, [5, 1, 0, 0]),
  sample(3_100, [7, 1, 0, 0]),
  sample(3_900, [9, 2, 1, 0]),
  sample(5_200, [12, 2, 2, 2]),
];

describe('server cache effect curves (Figs 6, 7)', () => {
  it('puts the cumulative curves on whole seconds after the origin, relative to the origin', () => {
    const grid = cumulativeOnGrid(samples, start, 2_500, 5_500);
    expect(grid.map((p) => p.x)).toEqual([0, 1, 2, 3]);
    // Origin 2.5 s: last sample 2.4 s. 3.5 s -> 3.1 s; 4.5 s -> 3.9 s; 5.5 s -> 5.2 s.
    expect(grid.map((p) => p.values['read-issued'])).toEqual([0, 2, 4, 7]);
    expect(grid.map((p) => p.values['read-reached-disk'])).toEqual([0, 0, 1, 1]);
    expect(grid.map((p) => p.values['write-reached-disk'])).toEqual([0, 0, 0, 2]);
  });

  it('turns a cumulative grid into MB per second', () => {
    const rates = ratesOnGrid(cumulativeOnGrid(samples, start, 2_500, 5_500));
    expect(rates.map((p) => [p.x, p.values['read-issued'], p.values['write-issued']])).toEqual([
      [1, 2, 0],
      [2, 2, 1],
      [3, 3, 1],
    ]);
  });

  it('refuses an origin before the first sample', () => {
    expect(() => cumulativeOnGrid(samples.slice(1), start, 1_000, 3_000)).toThrow(/no server accounting sample/);
  });
});
