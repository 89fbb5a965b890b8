// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import type { ExperimentAnalysis } from '../../artifact/core/analysis.js';
import { sweepExperimentIds } from '../../artifact/core/configurations.js';
import type { RunOptions } from '../../artifact/core/options.js';
import { notRunHere } from '../../artifact/stages/experiments.js';
import { experiments } from '../registry.js';
import { crossoverSpeed, sweepFigureRows } from './sweep-figure.js';

const ran = (mean: number) => ({
  status: 'ran' as const,
  repetitions: 3,
  metrics: { 'total-boot': { unit: 's', points: [{ x: null, n: 3, mean, sd: 1, ciLow: mean - 2, ciHigh: mean + 2 }] } },
});

describe('the disk-speed sweep (Figs 12, 13)', () => {
  it('finds where the local line meets a level, interpolating in log(speed)', () => {
    const boots = [
      { speed: 4, value: 38 },
      { speed: 0.5, value: 80 },
      { speed: 1, value: 55 },
      { speed: 2, value: 45 },
    ];
    // 45 s at 2x, 38 s at 4x: 41.5 s is half-way in log2, at 2^1.5.
    expect(crossoverSpeed(boots, 41.5)).toBeCloseTo(2 ** 1.5, 9);
    expect(crossoverSpeed(boots, 55)).toBe(1);
    // Outside the measured range: no crossover claimed.
    expect(crossoverSpeed(boots, 30)).toBeUndefined();
    expect(crossoverSpeed(boots, 90)).toBeUndefined();
    expect(crossoverSpeed([], 40)).toBeUndefined();
  });

  it('draws the model as a line over speed, the others as levels, and marks the crossover against the first level', () => {
    const analysis: ExperimentAnalysis = {
      experiment: 'fig12-disk-speed-boot-time',
      figure: 12,
      configurations: {
        'local-hdd-x0.5': ran(80),
        'local-hdd-x1': ran(55),
        'local-hdd-x2': ran(45),
        'local-hdd-x4': ran(38),
        'local-hdd-x16': { status: 'not-run', reason: 'not selected' },
        'vmm-aoe-cache-on': ran(41.5),
        local: ran(31),
      },
    };
    const rows = sweepFigureRows(
      { levels: ['vmm-aoe-cache-on', 'local'], metrics: [{ id: 'total-boot', label: 'Power-on to login', unit: 's' }] },
      { analysis, series: 'this run' },
    );
    const sweep = rows.filter((row) => row.group === 'sweep');
    expect(sweep.map((row) => [row.x, row.value])).toEqual([
      [0.5, 80],
      [1, 55],
      [2, 45],
      [4, 38],
    ]);
    expect(rows.filter((row) => row.group === 'level').map((row) => row.value)).toEqual([41.5, 31]);
    const crossover = rows.filter((row) => row.group === 'crossover');
    expect(crossover).toHaveLength(1);
    expect(crossover[0]!.x).toBeCloseTo(2 ** 1.5, 9);
    expect(crossover[0]!.line).toMatch(/VMM \+ AoE, server cache on = local at 2\.8x the 2011 drive/);
    // A point that did not run is named, as every figure names what is missing; 0.25x has no entry at all.
    const missing = rows.filter((row) => row.group === 'missing');
    expect(missing.map((row) => [row.line, row.status])).toEqual([
      ['Local disk: the 2011 drive at 1/4 speed (model)', 'not run'],
      ['Local disk: the 2011 drive at 16x speed (model)', 'not run'],
    ]);
  });

  it("marks 2011's balance at 1/k when the run measured the yardstick, and only across a measured sweep", () => {
    const layout = { levels: ['local'] as const, metrics: [{ id: 'total-boot', label: 'Boot', unit: 's' }] };
    const analysis = (configurations: ExperimentAnalysis['configurations']): ExperimentAnalysis => ({
      experiment: 'fig12-disk-speed-boot-time',
      figure: 12,
      configurations,
    });
    const swept = analysis({ 'local-hdd-x1': ran(55), 'local-hdd-x2': ran(45), local: ran(31) });
    const balance = (rows: ReturnType<typeof sweepFigureRows>) => rows.filter((row) => row.group === 'balance');
    const marked = balance(
      sweepFigureRows(layout, { analysis: swept, series: 'this run', balanceSpeed: 48.8 / 118.1 }),
    );
    expect(marked).toHaveLength(1);
    expect(marked[0]!.x).toBeCloseTo(0.4132, 4);
    expect(marked[0]!.line).toBe("2011's disk:network balance here: 1/k = 0.41x");
    expect(balance(sweepFigureRows(layout, { analysis: swept, series: 'this run' }))).toEqual([]);
    const unswept = analysis({ local: ran(31) });
    expect(balance(sweepFigureRows(layout, { analysis: unswept, series: 'this run', balanceSpeed: 0.41 }))).toEqual([]);
  });

  it('is in the registry under the ids the not-run rule knows', () => {
    expect(experiments.map((e) => e.id)).toEqual(expect.arrayContaining([...sweepExperimentIds]));
  });

  it('is left out of --quick and --smoke unless named, and runs in a full run', () => {
    const options = (more: Partial<RunOptions>): RunOptions => ({
      quick: true,
      reps: 3,
      only: null,
      testbed: 'emulated',
      ...more,
    });
    expect(notRunHere('local-hdd-x1', { options: options({}) })).toMatch(
      /^not run: --quick leaves out the disk-speed sweep .*--only fig12/,
    );
    expect(notRunHere('local-hdd-x1', { options: options({ smoke: true }) })).toMatch(/^not run: --smoke leaves out/);
    expect(notRunHere('local-hdd-x1', { options: options({ quick: false, reps: 5 }) })).toBeUndefined();
    expect(notRunHere('local-hdd-x1', { options: options({ only: ['fig12'] }) })).toBeUndefined();
    expect(notRunHere('local-hdd-x1', { options: options({ only: ['fig13-disk-speed-throughput'] }) })).toBeUndefined();
    expect(notRunHere('local-hdd-x1', { options: options({ configurations: ['local-hdd-x1'] }) })).toBeUndefined();
    // The levels are the run's own boots, which run whatever the sweep does.
    expect(notRunHere('vmm-aoe-cache-on', { options: options({}) })).toBeUndefined();
    expect(notRunHere('local-hdd-x1', { options: options({}), testbed: { kind: 'hardware' } as never })).toMatch(
      /^not on a hardware testbed/,
    );
  });
});
