// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { bestOfPasses, differenceOfMeans, summarise, tQuantile95 } from '../core/statistics.js';

describe('statistics', () => {
  it('matches textbook values: mean, unbiased sd and a Student-t 95 % interval', () => {
    const s = summarise([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(s.n).toBe(8);
    expect(s.mean).toBe(5);
    expect(s.sd).toBeCloseTo(Math.sqrt(32 / 7), 12);
    // t(0.975, 7) = 2.364624 (printed tables); half width = t * sd / sqrt(n).
    expect(tQuantile95(7)).toBeCloseTo(2.364624, 5);
    expect(s.ciHigh! - s.mean).toBeCloseTo((2.364624 * Math.sqrt(32 / 7)) / Math.sqrt(8), 5);
    expect(s.mean - s.ciLow!).toBeCloseTo(s.ciHigh! - s.mean, 12);
  });

  it('gives no spread or interval for one repetition, and refuses none', () => {
    expect(summarise([33.5])).toEqual({ n: 1, mean: 33.5, sd: null, ciLow: null, ciHigh: null });
    expect(() => summarise([])).toThrow(/no values/);
  });

  it('computes a Welch interval for a difference of means', () => {
    const a = summarise([20, 21, 22]);
    const b = summarise([30, 32, 34]);
    const d = differenceOfMeans(a, b);
    expect(d.value).toBe(-11);
    // se^2 = 1/3 + 4/3; Welch dof = (5/3)^2 / ((1/9)/2 + (16/9)/2) = 2.941...
    const se = Math.sqrt(5 / 3);
    const dof = (5 / 3) ** 2 / (1 / 9 / 2 + 16 / 9 / 2);
    expect(d.ciHigh! - d.value).toBeCloseTo(tQuantile95(dof) * se, 10);
    expect(d.ciHigh!).toBeLessThan(0);
    expect(differenceOfMeans(summarise([1]), b).ciLow).toBeNull();
  });

  it('picks the best pass the way CrystalDiskMark does', () => {
    expect(bestOfPasses([40.1, 45.8, 44.0], 'higher')).toBe(45.8);
    expect(bestOfPasses([31, 29.5, 30], 'lower')).toBe(29.5);
  });
});
