// SPDX-License-Identifier: MIT
import type { MetricInfo } from '../../artifact/core/experiment.js';
import { panelsOf } from './metric-panels.js';

/** CrystalDiskMark's tests as the paper reports them (Figs 5, 11); MB = 10^6 bytes; best of passes. */
export const diskThroughputMetrics: Record<string, MetricInfo> = {
  'seq-read': { label: 'Seq 1024K read', unit: 'MB/s', better: 'higher', bestOfPasses: true },
  'seq-write': { label: 'Seq 1024K write', unit: 'MB/s', better: 'higher', bestOfPasses: true },
  'rand512k-read': { label: 'Random 512K read', unit: 'MB/s', better: 'higher', bestOfPasses: true },
  'rand512k-write': { label: 'Random 512K write', unit: 'MB/s', better: 'higher', bestOfPasses: true },
  'rand4k-read': { label: 'Random 4K read', unit: 'MB/s', better: 'higher', bestOfPasses: true },
  'rand4k-write': { label: 'Random 4K write', unit: 'MB/s', better: 'higher', bestOfPasses: true },
};

export const diskThroughputPanels = panelsOf(diskThroughputMetrics);
