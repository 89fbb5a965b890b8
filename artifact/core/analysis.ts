// SPDX-License-Identifier: MIT
import { z } from 'zod';
import { configurationIds, type ConfigurationId } from './configurations.js';
import type { MetricInfo } from './experiment.js';
import type { Measurement, ResultFile } from './results-schema.js';
import { bestOfPasses, summarise } from './statistics.js';

const pointSchema = z.object({
  x: z.number().nullable(),
  n: z.number().int(),
  mean: z.number(),
  sd: z.number().nullable(),
  ciLow: z.number().nullable(),
  ciHigh: z.number().nullable(),
});
export type AnalysedPoint = z.infer<typeof pointSchema>;

const configurationAnalysisSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('ran'),
    repetitions: z.number().int(),
    metrics: z.record(z.object({ unit: z.string(), points: z.array(pointSchema) })),
    /** Repetitions measured while other work ran on the host (artifact/core/host-activity.ts). */
    disturbed: z.array(z.object({ repetition: z.number().int(), reason: z.string() })).optional(),
  }),
  z.object({ status: z.enum(['not-run', 'failed']), reason: z.string() }),
]);
export type ConfigurationAnalysis = z.infer<typeof configurationAnalysisSchema>;

export const experimentAnalysisSchema = z.object({
  experiment: z.string(),
  figure: z.number().int(),
  configurations: z.record(z.enum(configurationIds), configurationAnalysisSchema),
});
export type ExperimentAnalysis = z.infer<typeof experimentAnalysisSchema>;

/**
 * Reduces passes to one value per repetition (best of N where the metric says so), then
 * summarises repetitions: mean, sd, 95 % CI per metric and x position.
 */
export function analyseResult(result: ResultFile, metrics: Record<string, MetricInfo>): ExperimentAnalysis {
  const configurations: Partial<Record<ConfigurationId, ConfigurationAnalysis>> = {};
  for (const entry of result.configurations) {
    if (entry.status !== 'ran') {
      configurations[entry.configuration] = { status: entry.status, reason: entry.reason };
      continue;
    }
    const byMetric = new Map<string, Measurement[]>();
    for (const m of entry.measurements) byMetric.set(m.metric, [...(byMetric.get(m.metric) ?? []), m]);
    const analysed: Record<string, { unit: string; points: AnalysedPoint[] }> = {};
    for (const [metric, measurements] of byMetric) {
      const info = metrics[metric];
      if (!info)
        throw new Error(
          `${result.experiment}: results contain metric '${metric}', which the experiment does not define`,
        );
      analysed[metric] = { unit: info.unit, points: summariseByX(result.experiment, metric, info, measurements) };
    }
    const disturbed = (entry.hostActivity ?? []).flatMap((activity) =>
      activity.disturbed === undefined ? [] : [{ repetition: activity.repetition, reason: activity.disturbed }],
    );
    configurations[entry.configuration] = {
      status: 'ran',
      repetitions: entry.repetitions,
      metrics: analysed,
      ...(disturbed.length > 0 ? { disturbed } : {}),
    };
  }
  return { experiment: result.experiment, figure: result.figure, configurations };
}

function summariseByX(
  experiment: string,
  metric: string,
  info: MetricInfo,
  measurements: Measurement[],
): AnalysedPoint[] {
  const byX = new Map<number | null, Map<number, number[]>>();
  for (const m of measurements) {
    if (m.pass !== undefined && !info.bestOfPasses) {
      throw new Error(`${experiment}: metric '${metric}' has passes but is not a best-of-passes metric`);
    }
    const x = m.x ?? null;
    const reps = byX.get(x) ?? new Map<number, number[]>();
    reps.set(m.repetition, [...(reps.get(m.repetition) ?? []), m.value]);
    byX.set(x, reps);
  }
  const points: AnalysedPoint[] = [];
  for (const [x, reps] of byX) {
    const perRepetition = [...reps.values()].map((values) => {
      if (info.bestOfPasses) return bestOfPasses(values, info.better);
      if (values.length !== 1)
        throw new Error(`${experiment}: metric '${metric}' has ${values.length} values in one repetition`);
      return values[0]!;
    });
    points.push({ x, ...summarise(perRepetition) });
  }
  return points.sort((a, b) => (a.x ?? 0) - (b.x ?? 0));
}

/** The single summary of a scalar metric, or undefined when the configuration did not run it. */
export function scalar(
  analysis: ExperimentAnalysis,
  configuration: ConfigurationId,
  metric: string,
): AnalysedPoint | undefined {
  const entry = analysis.configurations[configuration];
  if (entry?.status !== 'ran') return undefined;
  return entry.metrics[metric]?.points.find((p) => p.x === null);
}
