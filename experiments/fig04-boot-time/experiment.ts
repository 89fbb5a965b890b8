// SPDX-License-Identifier: MIT
import { scalar } from '../../artifact/core/analysis.js';
import type { Experiment, FigureInput, FigureRow } from '../../artifact/core/experiment.js';
import { barFigureRows, groupOf, paperBarRows, type BarLayout } from '../shared/bar-figure.js';
import { bootTime, bootTimeMetrics } from '../shared/boot-to-login.js';
import { inBootSessions, type SessionConfigurationId } from '../shared/client-configurations.js';
import { panelsOf } from '../shared/metric-panels.js';
import { hypervisorExitMetrics } from '../shared/hypervisor-exits.js';
import { specBeside, textBeside } from '../shared/spec-file.js';

const configurations: SessionConfigurationId[] = [
  'local',
  'vmm-local',
  'vmm-aoe-cache-on',
  'vmm-pxe-aoe-cache-on',
  'vmm-aoe-cache-off',
  'vmm-aoe-jumbo-cache-on',
  'vmm-aoe-jumbo-cache-off',
  'vmm-aoe-parallel-cache-on',
  'vmm-aoe-parallel-cache-off',
  'ipxe-sanboot-aoe',
];

const layout: BarLayout = {
  figure: 4,
  configurations,
  metrics: panelsOf(bootTimeMetrics),
  relative: { baseline: 'local', kind: 'difference', metrics: ['os-boot', 'total-boot'] },
};

const stackedPanel = 'VMM boot + OS boot, stacked (s)';

/** The paper's bars: one per configuration, VMM boot (or the firmware's part) under OS boot. */
function stackedBootRows({ analysis, series }: FigureInput): FigureRow[] {
  return layout.configurations.flatMap((configuration) => {
    const segments = [
      { name: 'VMM boot', point: scalar(analysis, configuration, 'vmm-boot') },
      { name: 'OS boot', point: scalar(analysis, configuration, 'os-boot') },
    ];
    if (segments.some((segment) => segment.point === undefined)) return [];
    return segments.map(({ name, point }): FigureRow => ({
      series: `${series}: ${name}`,
      stack: series,
      panel: stackedPanel,
      ...groupOf(configuration),
      value: point!.mean,
      ciLow: null,
      ciHigh: null,
      status: 'measured',
    }));
  });
}

export const fig04BootTime: Experiment = {
  id: 'fig04-boot-time',
  figure: 4,
  section: '5.2',
  title: 'OS boot time: local disk, VMM + local disk, network boot with server cache on and off',
  metrics: { ...bootTimeMetrics, ...hypervisorExitMetrics },
  configurations: inBootSessions(configurations, bootTime),
  figureData: (input) => [...barFigureRows(layout, input), ...stackedBootRows(input)],
  paperRows: (paper) => paperBarRows(layout, paper),
  specFile: specBeside(import.meta.url),
  testbedDifference: textBeside(import.meta.url, 'testbed-difference.md'),
};
