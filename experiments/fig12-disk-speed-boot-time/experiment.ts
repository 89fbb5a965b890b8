// SPDX-License-Identifier: MIT
import type { Experiment } from '../../artifact/core/experiment.js';
import { bootTime, bootTimeMetrics } from '../shared/boot-to-login.js';
import { hypervisorExitMetrics } from '../shared/hypervisor-exits.js';
import { inBootSessions, type SessionConfigurationId } from '../shared/client-configurations.js';
import { specBeside, textBeside } from '../shared/spec-file.js';
import { sweepConfigurations, sweepFigureRows, type SweepLayout } from '../shared/sweep-figure.js';

/** Across the sweep: the warm-server network boot (the crossover's reference) and the other boots Fig. 4 measures. */
const levels: SessionConfigurationId[] = ['vmm-aoe-cache-on', 'ipxe-sanboot-aoe', 'vmm-aoe-cache-off', 'local'];

const layout: SweepLayout = {
  levels,
  metrics: [{ id: 'total-boot', label: 'Power-on to login', unit: 's' }],
};

/**
 * Beyond the paper: when does a network boot from a warm server beat the local disk? The local
 * configuration boots with its disk on the hard disk model at several speeds (artifact/core/
 * configurations.ts, diskSweepSpeeds); the network boots are Fig. 4's own boots of this run.
 */
export const fig12DiskSpeedBootTime: Experiment = {
  id: 'fig12-disk-speed-boot-time',
  figure: 12,
  section: 'beyond the paper',
  title: "Boot time against the local disk's speed: the hard disk model from 1/4 to 16x the 2011 drive",
  // The boot part also counts the hypervisor's exits where one ran (the network levels), as in Figs 4 and 10.
  metrics: { ...bootTimeMetrics, ...hypervisorExitMetrics },
  configurations: inBootSessions([...sweepConfigurations, ...levels], bootTime),
  figureData: (input) => sweepFigureRows(layout, input),
  paperRows: () => [],
  specFile: specBeside(import.meta.url),
  testbedDifference: textBeside(import.meta.url, 'testbed-difference.md'),
};
