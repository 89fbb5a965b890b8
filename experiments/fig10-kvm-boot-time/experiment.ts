// SPDX-License-Identifier: MIT
import type { Experiment } from '../../artifact/core/experiment.js';
import { inBootSessions } from '../shared/client-configurations.js';
import { bootTime, bootTimeMetrics } from '../shared/boot-to-login.js';
import { hypervisorExitMetrics } from '../shared/hypervisor-exits.js';
import { panelsOf } from '../shared/metric-panels.js';
import { barFigureRows, paperBarRows, type BarLayout } from '../shared/bar-figure.js';
import { specBeside, textBeside } from '../shared/spec-file.js';

const layout: BarLayout = {
  figure: 10,
  configurations: ['vmm-aoe-cache-on', 'vmm-pxe-aoe-cache-on', 'kvm-nfs'],
  metrics: panelsOf(bootTimeMetrics),
  relative: { baseline: 'kvm-nfs', kind: 'difference', metrics: ['vmm-boot', 'os-boot'] },
};

export const fig10KvmBootTime: Experiment = {
  id: 'fig10-kvm-boot-time',
  figure: 10,
  section: '5.7',
  title: 'VMM boot and OS boot: proposed VMM vs KVM host with the image on NFS',
  metrics: { ...bootTimeMetrics, ...hypervisorExitMetrics },
  configurations: inBootSessions(['vmm-aoe-cache-on', 'vmm-pxe-aoe-cache-on', 'kvm-nfs'], bootTime),
  figureData: (input) => barFigureRows(layout, input),
  paperRows: (paper) => paperBarRows(layout, paper),
  specFile: specBeside(import.meta.url),
  testbedDifference: textBeside(import.meta.url, 'testbed-difference.md'),
};
