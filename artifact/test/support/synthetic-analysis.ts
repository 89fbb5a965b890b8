// SPDX-License-Identifier: MIT
// Hand-made experiment analyses for tests of what reads them (goals, claims): every configuration
// ran with three repetitions; a metric is a scalar's per-repetition values, or a series' values by x.
import type { ExperimentAnalysis } from '../../core/analysis.js';
import { summarise } from '../../core/statistics.js';

export type SyntheticRows = Record<string, Record<string, number[] | Record<number, number[]>>>;

export function syntheticAnalysis(experiment: string, rows: SyntheticRows): ExperimentAnalysis {
  return {
    experiment,
    figure: 0,
    configurations: Object.fromEntries(
      Object.entries(rows).map(([configuration, metrics]) => [
        configuration,
        {
          status: 'ran' as const,
          repetitions: 3,
          metrics: Object.fromEntries(
            Object.entries(metrics).map(([metric, values]) => [
              metric,
              {
                unit: '',
                points: Array.isArray(values)
                  ? [{ x: null, ...summarise(values) }]
                  : Object.entries(values).map(([x, v]) => ({ x: Number(x), ...summarise(v) })),
              },
            ]),
          ),
        },
      ]),
    ),
  };
}
