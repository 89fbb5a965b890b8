// SPDX-License-Identifier: MIT
import { scalar, type ExperimentAnalysis } from '../../artifact/core/analysis.js';
import { configurationIds, configurationLabels, type ConfigurationId } from '../../artifact/core/configurations.js';
import { paperSeriesLabel, type FigureInput, type FigureRow } from '../../artifact/core/experiment.js';
import type { PaperValue } from '../../artifact/core/paper-data.js';
import { differenceOfMeans } from '../../artifact/core/statistics.js';

/** How a bar figure is laid out: one panel per metric, configurations on the x axis. */
export interface BarLayout {
  figure: number;
  configurations: readonly ConfigurationId[];
  metrics: readonly { id: string; label: string; unit: string }[];
  /**
   * A second panel per metric, relative to a baseline, where the paper states relative numbers.
   * 'score' is baseline / value: a time metric turned into a PCMark-style score (higher is better).
   */
  relative?: { baseline: ConfigurationId; kind: 'difference' | 'ratio' | 'score'; metrics: readonly string[] };
}

const absolutePanel = (metric: { label: string; unit: string }) => `${metric.label} (${metric.unit})`;

function relativePanel(layout: BarLayout, metric: { label: string; unit: string }): string {
  const baseline = configurationLabels[layout.relative!.baseline];
  switch (layout.relative!.kind) {
    case 'ratio':
      return `${metric.label}: ratio to ${baseline}`;
    case 'score':
      return `${metric.label}: score, ${baseline} = 1`;
    case 'difference':
      return `${metric.label}: difference to ${baseline} (${metric.unit})`;
  }
}

export function groupOf(configuration: ConfigurationId) {
  return { group: configurationLabels[configuration], groupOrder: configurationIds.indexOf(configuration) };
}

function statusRow(
  series: string,
  panel: string,
  configuration: ConfigurationId,
  status: FigureRow['status'],
): FigureRow {
  return { series, panel, ...groupOf(configuration), value: null, ciLow: null, ciHigh: null, status };
}

/** This run's bars: mean with 95 % CI, a 'not run' / 'failed' marker where a configuration has no data. */
export function barFigureRows(layout: BarLayout, { analysis, series }: FigureInput): FigureRow[] {
  const rows: FigureRow[] = [];
  for (const metric of layout.metrics) {
    for (const configuration of layout.configurations) {
      const entry = analysis.configurations[configuration];
      const panel = absolutePanel(metric);
      if (entry === undefined || entry.status === 'not-run')
        rows.push(statusRow(series, panel, configuration, 'not run'));
      else if (entry.status === 'failed') rows.push(statusRow(series, panel, configuration, 'failed'));
      else {
        const point = scalar(analysis, configuration, metric.id);
        if (point)
          rows.push({
            series,
            panel,
            ...groupOf(configuration),
            value: point.mean,
            ciLow: point.ciLow,
            ciHigh: point.ciHigh,
            status: 'measured',
          });
      }
    }
    if (layout.relative?.metrics.includes(metric.id)) rows.push(...relativeRows(layout, analysis, series, metric));
  }
  return rows;
}

function relativeRows(
  layout: BarLayout,
  analysis: ExperimentAnalysis,
  series: string,
  metric: BarLayout['metrics'][number],
): FigureRow[] {
  const { baseline, kind } = layout.relative!;
  const panel = relativePanel(layout, metric);
  const base = scalar(analysis, baseline, metric.id);
  return layout.configurations
    .filter((configuration) => configuration !== baseline)
    .map((configuration) => {
      const point = scalar(analysis, configuration, metric.id);
      if (!point || !base)
        return statusRow(
          series,
          panel,
          configuration,
          analysis.configurations[configuration]?.status === 'failed' ? 'failed' : 'not run',
        );
      if (kind === 'ratio')
        return {
          series,
          panel,
          ...groupOf(configuration),
          value: point.mean / base.mean,
          ciLow: null,
          ciHigh: null,
          status: 'measured',
        };
      if (kind === 'score')
        return {
          series,
          panel,
          ...groupOf(configuration),
          value: base.mean / point.mean,
          ciLow: null,
          ciHigh: null,
          status: 'measured',
        };
      const difference = differenceOfMeans(point, base);
      return {
        series,
        panel,
        ...groupOf(configuration),
        value: difference.value,
        ciLow: difference.ciLow,
        ciHigh: difference.ciHigh,
        status: 'measured',
      };
    });
}

/** The paper's stated numbers for this figure, in the same panels, labelled as the paper's. */
export function paperBarRows(layout: BarLayout, paper: readonly PaperValue[]): FigureRow[] {
  const rows: FigureRow[] = [];
  for (const value of paper) {
    const metric = layout.metrics.find((m) => m.id === value.metric);
    if (value.figure !== layout.figure || !metric || value.value === undefined) continue;
    if (!layout.configurations.includes(value.configuration)) continue;
    const relative = layout.relative;
    let panel: string | undefined;
    if (value.kind === 'absolute') panel = absolutePanel(metric);
    else if (
      relative &&
      value.kind === relative.kind &&
      value.baseline === relative.baseline &&
      relative.metrics.includes(metric.id)
    )
      panel = relativePanel(layout, metric);
    if (panel === undefined) continue;
    rows.push({
      series: paperSeriesLabel,
      panel,
      ...groupOf(value.configuration),
      value: value.value,
      ciLow: null,
      ciHigh: null,
      status: 'paper',
    });
  }
  return rows;
}
