// SPDX-License-Identifier: MIT
import type { ConfigurationId } from '../../artifact/core/configurations.js';
import { configurationLabels } from '../../artifact/core/configurations.js';
import type { FigureInput, FigureRow } from '../../artifact/core/experiment.js';

/** Series figures (Figs 6-8): x is time or packet index. */
export interface LineLayout {
  configurations: readonly ConfigurationId[];
  metrics: readonly { id: string; label: string; unit: string }[];
  /** 'panel-per-configuration': a panel per configuration, a line per metric (Figs 6, 7); 'panel-per-metric': a line per configuration (Fig. 8). */
  arrange: 'panel-per-configuration' | 'panel-per-metric';
}

export function lineFigureRows(layout: LineLayout, { analysis, series }: FigureInput): FigureRow[] {
  const rows: FigureRow[] = [];
  for (const configuration of layout.configurations) {
    const entry = analysis.configurations[configuration];
    for (const metric of layout.metrics) {
      const byConfiguration = layout.arrange === 'panel-per-configuration';
      const panel = byConfiguration
        ? `${configurationLabels[configuration]} (${metric.unit})`
        : `${metric.label} (${metric.unit})`;
      const line = `${byConfiguration ? metric.label : configurationLabels[configuration]}: ${series}`;
      const base = { series, panel, line, group: '', groupOrder: 0 };
      if (entry?.status !== 'ran') {
        rows.push({
          ...base,
          value: null,
          ciLow: null,
          ciHigh: null,
          status: entry?.status === 'failed' ? 'failed' : 'not run',
        });
        continue;
      }
      for (const point of entry.metrics[metric.id]?.points ?? []) {
        if (point.x === null) continue;
        rows.push({
          ...base,
          x: point.x,
          value: point.mean,
          ciLow: point.ciLow,
          ciHigh: point.ciHigh,
          status: 'measured',
        });
      }
    }
  }
  return rows;
}
