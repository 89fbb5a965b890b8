// SPDX-License-Identifier: MIT
import type { Experiment } from '../../artifact/core/experiment.js';
import { barFigureRows, paperBarRows, type BarLayout } from '../shared/bar-figure.js';
import { inBootSessions, type SessionConfigurationId } from '../shared/client-configurations.js';
import { diskBenchmark, parseDiskBenchmark } from '../shared/disk-benchmark.js';
import { diskThroughputMetrics, diskThroughputPanels } from '../shared/disk-metrics.js';
import { specBeside, textBeside } from '../shared/spec-file.js';
import { windowsGuestPlans } from '../shared/windows-guest.js';

const configurations: SessionConfigurationId[] = [
  'local',
  'vmm-local',
  'vmm-aoe-cache-on',
  'vmm-aoe-cache-off',
  'vmm-aoe-jumbo-cache-on',
  'vmm-aoe-jumbo-cache-off',
  'vmm-aoe-parallel-cache-on',
  'vmm-aoe-parallel-cache-off',
  'guest-aoe-initiator',
  'ipxe-sanboot-aoe',
];

const layout: BarLayout = {
  figure: 5,
  configurations,
  metrics: diskThroughputPanels,
  relative: { baseline: 'local', kind: 'ratio', metrics: Object.keys(diskThroughputMetrics) },
};

export const fig05DiskThroughput: Experiment = {
  id: 'fig05-disk-throughput',
  figure: 5,
  section: '5.3',
  title: 'Disk throughput (fio jobs equivalent to CrystalDiskMark: seq 1024K, random 512K, random 4K)',
  metrics: diskThroughputMetrics,
  configurations: {
    ...inBootSessions(configurations, { work: diskBenchmark, parse: parseDiskBenchmark, needs: ['guest-benchmark'] }),
    // The paper's guest; not in the figure's layout, listed as not run in the report.
    ...windowsGuestPlans,
  },
  figureData: (input) => barFigureRows(layout, input),
  paperRows: (paper) => paperBarRows(layout, paper),
  specFile: specBeside(import.meta.url),
  testbedDifference: textBeside(import.meta.url, 'testbed-difference.md'),
};
