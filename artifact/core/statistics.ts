// SPDX-License-Identifier: MIT
import { mean, sqrt, std } from 'mathjs';
import jStat from 'jstat';

export interface Summary {
  n: number;
  mean: number;
  /** Sample standard deviation (n - 1); null with a single repetition. */
  sd: number | null;
  /** Two-sided 95 % confidence interval of the mean (Student t); null with a single repetition. */
  ciLow: number | null;
  ciHigh: number | null;
}

/** Student-t quantile for a two-sided 95 % interval. */
export function tQuantile95(degreesOfFreedom: number): number {
  return jStat.studentt.inv(0.975, degreesOfFreedom);
}

export function summarise(values: readonly number[]): Summary {
  if (values.length === 0)
    throw new Error('summarise: no values (an experiment produced no measurements for this metric)');
  const n = values.length;
  const average = Number(mean([...values]));
  if (n === 1) return { n, mean: average, sd: null, ciLow: null, ciHigh: null };
  const sd = Number(std([...values], 'unbiased'));
  const halfWidth = tQuantile95(n - 1) * (sd / Number(sqrt(n)));
  return { n, mean: average, sd, ciLow: average - halfWidth, ciHigh: average + halfWidth };
}

export interface Difference {
  value: number;
  ciLow: number | null;
  ciHigh: number | null;
}

/** Difference of two means (a - b) with a Welch 95 % interval when both sides have a spread. */
export function differenceOfMeans(a: Summary, b: Summary): Difference {
  const value = a.mean - b.mean;
  if (a.sd === null || b.sd === null) return { value, ciLow: null, ciHigh: null };
  const va = (a.sd * a.sd) / a.n;
  const vb = (b.sd * b.sd) / b.n;
  const standardError = Math.sqrt(va + vb);
  if (standardError === 0) return { value, ciLow: value, ciHigh: value };
  const dof = (va + vb) ** 2 / ((va * va) / (a.n - 1) + (vb * vb) / (b.n - 1));
  const halfWidth = tQuantile95(dof) * standardError;
  return { value, ciLow: value - halfWidth, ciHigh: value + halfWidth };
}

/** CrystalDiskMark reports the best of its passes: per repetition, keep the highest (or lowest) pass. */
export function bestOfPasses(values: readonly number[], better: 'higher' | 'lower'): number {
  if (values.length === 0) throw new Error('bestOfPasses: no passes');
  return better === 'higher' ? Math.max(...values) : Math.min(...values);
}
