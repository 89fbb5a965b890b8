// SPDX-License-Identifier: MIT
import type { Experiment } from '../../artifact/core/experiment.js';
import { inBootSessions } from '../shared/client-configurations.js';
import { bootCacheMetrics, parseBootCacheEffect } from '../shared/cache-effect.js';
import { lineFigureRows, type LineLayout } from '../shared/line-figure.js';
import { panelsOf } from '../shared/metric-panels.js';
import { specBeside, textBeside } from '../shared/spec-file.js';

/** Cumulative MB since GRUB left its menu: issued = the patched vblade's counters, reached disk = the server's loop device statistics. */
const metrics = bootCacheMetrics;

const layout: LineLayout = {
  configurations: ['vmm-aoe-cache-on', 'vmm-aoe-cache-off'],
  metrics: panelsOf(metrics),
  arrange: 'panel-per-configuration',
};

export const fig06BootCacheEffect: Experiment = {
  id: 'fig06-boot-cache-effect',
  figure: 6,
  section: '5.4.1',
  title: 'Server cache effect during boot: data the OS issued vs data reaching the server disk',
  metrics,
  configurations: inBootSessions(['vmm-aoe-cache-on', 'vmm-aoe-cache-off'], {
    work: { kind: 'boot' },
    parse: parseBootCacheEffect,
    needs: ['server-accounting'],
  }),
  figureData: (input) => lineFigureRows(layout, input),
  // The paper states only one number here (a write flush near 29 s); it is in the claims notes, not a curve.
  paperRows: () => [],
  specFile: specBeside(import.meta.url),
  testbedDifference: textBeside(import.meta.url, 'testbed-difference.md'),
};
