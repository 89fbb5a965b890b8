// SPDX-License-Identifier: MIT
import type { AppFrame } from './guest-frames.js';
import type { AppTestName } from './guest-job.js';

export interface AppResult {
  test: AppTestName;
  /** Mean seconds over the passes. */
  seconds: number;
  passes: number[];
}

export function appResults(frames: AppFrame[]): AppResult[] {
  const groups = new Map<AppTestName, number[]>();
  for (const frame of frames) groups.set(frame.test, [...(groups.get(frame.test) ?? []), frame.seconds]);
  return [...groups].map(([test, passes]) => ({
    test,
    seconds: passes.reduce((a, b) => a + b, 0) / passes.length,
    passes,
  }));
}

/**
 * PCMark-style normalised score of a configuration against a reference (the paper: local
 * disk = 1): reference time / time, so faster than the reference scores above 1.
 */
export function normalisedScores(results: AppResult[], reference: AppResult[]): { test: AppTestName; score: number }[] {
  return results.map((r) => {
    const ref = reference.find((x) => x.test === r.test);
    if (ref === undefined) throw new Error(`no reference result for app test "${r.test}"`);
    return { test: r.test, score: ref.seconds / r.seconds };
  });
}
