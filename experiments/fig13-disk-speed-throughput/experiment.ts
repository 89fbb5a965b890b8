// SPDX-License-Identifier: MIT
import type { Experiment } from '../../artifact/core/experiment.js';
import { inBootSessions, type SessionConfigurationId } from '../shared/client-configurations.js';
import { diskBenchmark, parseDiskBenchmark } from '../shared/disk-benchmark.js';
import { diskThroughputMetrics, diskThroughputPanels } from '../shared/disk-metrics.js';
import { specBeside, textBeside } from '../shared/spec-file.js';
import { sweepConfigurations, sweepFigureRows, type SweepLayout } from '../shared/sweep-figure.js';

/** Across the sweep: Fig. 5's network rows (the crossover is found against the warm server's) and the emulated local disk. */
const levels: SessionConfigurationId[] = ['vmm-aoe-cache-on', 'ipxe-sanboot-aoe', 'vmm-aoe-cache-off', 'local'];

const layout: SweepLayout = { levels, metrics: diskThroughputPanels };

/**
 * Beyond the paper: Fig. 5's fio rows with the local disk on the hard disk model at several
 * speeds; the network rows are Fig. 5's own jobs of this run (the same job, run once per boot).
 */
export const fig13DiskSpeedThroughput: Experiment = {
  id: 'fig13-disk-speed-throughput',
  figure: 13,
  section: 'beyond the paper',
  title: "Disk throughput against the local disk's speed: the hard disk model from 1/4 to 16x the 2011 drive",
  metrics: diskThroughputMetrics,
  configurations: inBootSessions([...sweepConfigurations, ...levels], {
    work: diskBenchmark,
    parse: parseDiskBenchmark,
    needs: ['guest-benchmark'],
  }),
  figureData: (input) => sweepFigureRows(layout, input),
  paperRows: () => [],
  specFile: specBeside(import.meta.url),
  testbedDifference: textBeside(import.meta.url, 'testbed-difference.md'),
};
