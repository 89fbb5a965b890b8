// SPDX-License-Identifier: MIT
import { analyseResult, type ExperimentAnalysis } from '../core/analysis.js';
import type { Experiment } from '../core/experiment.js';
import { writeJsonAtomic } from '../core/json-file.js';
import type { RunLayout } from '../core/paths.js';
import { readResult } from './experiments.js';

/** Statistics for every experiment of a run, written to its analysis.json (see readAnalyses). */
export async function analyseRun(
  layout: RunLayout,
  experiments: readonly Experiment[],
): Promise<Map<string, ExperimentAnalysis>> {
  const analyses = await readAnalyses(layout, experiments);
  await writeJsonAtomic(layout.analysis, { experiments: [...analyses.values()] });
  return analyses;
}

/**
 * Statistics for every experiment from the run's results/*.json alone, without writing anything.
 * An experiment without a results file (left out with --only, or interrupted) shows every
 * configuration as 'not run'.
 */
export async function readAnalyses(
  layout: RunLayout,
  experiments: readonly Experiment[],
): Promise<Map<string, ExperimentAnalysis>> {
  const analyses = new Map<string, ExperimentAnalysis>();
  for (const experiment of experiments) {
    const result = await readResult(layout, experiment.id);
    const analysis: ExperimentAnalysis = result
      ? analyseResult(result, experiment.metrics)
      : {
          experiment: experiment.id,
          figure: experiment.figure,
          configurations: Object.fromEntries(
            Object.keys(experiment.configurations).map((c) => [
              c,
              { status: 'not-run' as const, reason: 'not part of this run (left out with --only or not reached)' },
            ]),
          ),
        };
    analyses.set(experiment.id, analysis);
  }
  return analyses;
}
