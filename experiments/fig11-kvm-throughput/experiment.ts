// SPDX-License-Identifier: MIT
import type { Experiment } from '../../artifact/core/experiment.js';
import { barFigureRows, paperBarRows, type BarLayout } from '../shared/bar-figure.js';
import { inBootSessions } from '../shared/client-configurations.js';
import { diskBenchmark, parseDiskBenchmark } from '../shared/disk-benchmark.js';
import { diskThroughputMetrics, diskThroughputPanels } from '../shared/disk-metrics.js';
import { specBeside, textBeside } from '../shared/spec-file.js';

const layout: BarLayout = {
  figure: 11,
  configurations: ['vmm-aoe-cache-on', 'kvm-nfs'],
  metrics: diskThroughputPanels,
  relative: {
    baseline: 'kvm-nfs',
    kind: 'difference',
    metrics: ['seq-read', 'seq-write', 'rand512k-read', 'rand512k-write'],
  },
};

export const fig11KvmThroughput: Experiment = {
  id: 'fig11-kvm-throughput',
  figure: 11,
  section: '5.7',
  title: 'Disk throughput: proposed VMM (AoE, server cache on) vs KVM with the image on NFS',
  metrics: diskThroughputMetrics,
  configurations: inBootSessions(['vmm-aoe-cache-on', 'kvm-nfs'], {
    work: diskBenchmark,
    parse: parseDiskBenchmark,
    needs: ['guest-benchmark'],
  }),
  figureData: (input) => barFigureRows(layout, input),
  paperRows: (paper) => paperBarRows(layout, paper),
  specFile: specBeside(import.meta.url),
  testbedDifference: textBeside(import.meta.url, 'testbed-difference.md'),
};
