// SPDX-License-Identifier: MIT
import type { Experiment } from '../../artifact/core/experiment.js';
import { inBootSessions } from '../shared/client-configurations.js';
import { benchmarkCacheMetrics, parseBenchmarkCacheEffect, sequentialBenchmark } from '../shared/cache-effect.js';
import { lineFigureRows, type LineLayout } from '../shared/line-figure.js';
import { panelsOf } from '../shared/metric-panels.js';
import { specBeside, textBeside } from '../shared/spec-file.js';

/** MB per second during the sequential benchmark: issued = the patched vblade's counters, reached disk = the server's loop device statistics. */
const metrics = benchmarkCacheMetrics;

const layout: LineLayout = {
  configurations: ['vmm-aoe-cache-on', 'vmm-aoe-cache-off'],
  metrics: panelsOf(metrics),
  arrange: 'panel-per-configuration',
};

export const fig07BenchmarkCacheEffect: Experiment = {
  id: 'fig07-benchmark-cache-effect',
  figure: 7,
  section: '5.4.2',
  title: 'Server cache effect during the sequential disk benchmark',
  metrics,
  configurations: inBootSessions(['vmm-aoe-cache-on', 'vmm-aoe-cache-off'], {
    work: sequentialBenchmark,
    parse: parseBenchmarkCacheEffect,
    needs: ['server-accounting', 'guest-benchmark'],
  }),
  figureData: (input) => lineFigureRows(layout, input),
  // The paper's one number here (dirty threshold moves seq write by ~10 MB/s) is not a curve point.
  paperRows: () => [],
  specFile: specBeside(import.meta.url),
  testbedDifference: textBeside(import.meta.url, 'testbed-difference.md'),
};
