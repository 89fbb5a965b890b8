// SPDX-License-Identifier: MIT
// The disk-speed sweep's figures (12, 13): per metric, the local disk on the hard disk model as a
// line over its speed (relative to the paper's drive, log axis), the other configurations as
// levels across it, where the model's line crosses the warm-server network boot's level, and
// where 2011's disk:network balance sits on this testbed (1/k, when the run measured k).
import { scalar } from '../../artifact/core/analysis.js';
import {
  configurationLabels,
  diskSweepSpeeds,
  type ConfigurationId,
  type DiskSweepConfigurationId,
} from '../../artifact/core/configurations.js';
import type { FigureInput, FigureRow } from '../../artifact/core/experiment.js';

export interface SweepLayout {
  /** The configurations drawn as levels across the sweep; the first is the one the crossover is found against. */
  levels: readonly ConfigurationId[];
  metrics: readonly { id: string; label: string; unit: string }[];
}

export const sweepConfigurations = Object.keys(diskSweepSpeeds) as DiskSweepConfigurationId[];
const sweepLine = 'Local disk on the model';

/** A measured point of the sweep: the model's speed and the metric's mean there. */
export interface SweepPoint {
  speed: number;
  value: number;
}

/**
 * The speed at which the sweep's line reaches `level`, interpolated linearly in log(speed) between
 * the first two adjacent points that lie on either side of it; undefined when no pair does (the
 * level lies outside the measured range). Points are sorted by speed first.
 */
export function crossoverSpeed(points: readonly SweepPoint[], level: number): number | undefined {
  const sorted = [...points].sort((a, b) => a.speed - b.speed);
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1]!;
    const b = sorted[i]!;
    if ((a.value - level) * (b.value - level) > 0 || a.value === b.value) continue;
    const t = (level - a.value) / (b.value - a.value);
    return Math.exp(Math.log(a.speed) + t * (Math.log(b.speed) - Math.log(a.speed)));
  }
  return undefined;
}

/**
 * Rows for a sweep spec. `group` says what a row is: 'sweep' (a point of the model's line, x = its
 * speed), 'level' (another configuration's mean, drawn across the axis), 'crossover' (x = the speed
 * where the model's line meets the first level's configuration), 'balance' (x = 1/k, the model's
 * speed that stands to this testbed's network as the paper's drive stood to 1 GbE), 'missing' (not
 * run or failed).
 */
export function sweepFigureRows(layout: SweepLayout, { analysis, series, balanceSpeed }: FigureInput): FigureRow[] {
  const rows: FigureRow[] = [];
  for (const metric of layout.metrics) {
    const panel = `${metric.label} (${metric.unit})`;
    const base = { series, panel, groupOrder: 0 };
    const missing = (configuration: ConfigurationId): FigureRow | undefined => {
      const status = analysis.configurations[configuration]?.status;
      if (status === 'ran') return undefined;
      return {
        ...base,
        group: 'missing',
        line: configurationLabels[configuration],
        value: null,
        ciLow: null,
        ciHigh: null,
        status: status === 'failed' ? 'failed' : 'not run',
      };
    };
    const points: SweepPoint[] = [];
    for (const configuration of sweepConfigurations) {
      const point = scalar(analysis, configuration, metric.id);
      if (point === undefined) {
        const row = missing(configuration);
        if (row !== undefined) rows.push(row);
        continue;
      }
      const speed = diskSweepSpeeds[configuration];
      points.push({ speed, value: point.mean });
      rows.push({
        ...base,
        group: 'sweep',
        line: `${sweepLine}: ${series}`,
        x: speed,
        value: point.mean,
        ciLow: point.ciLow,
        ciHigh: point.ciHigh,
        status: 'measured',
      });
    }
    if (balanceSpeed !== undefined && points.length > 0)
      rows.push({
        ...base,
        group: 'balance',
        line: `2011's disk:network balance here: 1/k = ${balanceSpeed.toPrecision(2)}x`,
        x: balanceSpeed,
        value: null,
        ciLow: null,
        ciHigh: null,
        status: 'measured',
      });
    for (const [index, configuration] of layout.levels.entries()) {
      const point = scalar(analysis, configuration, metric.id);
      if (point === undefined) {
        const row = missing(configuration);
        if (row !== undefined) rows.push(row);
        continue;
      }
      const line = `${configurationLabels[configuration]}: ${series}`;
      rows.push({
        ...base,
        group: 'level',
        line,
        value: point.mean,
        ciLow: point.ciLow,
        ciHigh: point.ciHigh,
        status: 'measured',
      });
      const crossover = index === 0 ? crossoverSpeed(points, point.mean) : undefined;
      if (crossover !== undefined)
        rows.push({
          ...base,
          group: 'crossover',
          line: `${configurationLabels[configuration]} = local at ${crossover.toPrecision(2)}x the 2011 drive`,
          x: crossover,
          value: point.mean,
          ciLow: null,
          ciHigh: null,
          status: 'measured',
        });
    }
  }
  return rows;
}
