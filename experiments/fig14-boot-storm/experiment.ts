// SPDX-License-Identifier: MIT
import { stormExperimentId, stormServers, type ConfigurationId } from '../../artifact/core/configurations.js';
import type { ConfigurationPlan, Experiment } from '../../artifact/core/experiment.js';
import { bootStormMetrics, parseBootStorm, runBootStorm } from '../shared/boot-storm.js';
import { lineFigureRows, type LineLayout } from '../shared/line-figure.js';
import { panelsOf } from '../shared/metric-panels.js';
import { specBeside, textBeside } from '../shared/spec-file.js';

const configurations = Object.keys(stormServers) as (keyof typeof stormServers)[];

const layout: LineLayout = {
  configurations,
  metrics: panelsOf({
    'client-disk-time': bootStormMetrics['client-disk-time'],
    'server-throughput': bootStormMetrics['server-throughput'],
    'real-disk-time': bootStormMetrics['real-disk-time'],
    'replay-vs-real-disk': bootStormMetrics['replay-vs-real-disk'],
    'replay-vs-real-span': bootStormMetrics['replay-vs-real-span'],
  }),
  arrange: 'panel-per-metric',
};

function plan(id: keyof typeof stormServers): ConfigurationPlan {
  const { program, cache } = stormServers[id];
  return {
    needs: [
      'hypervisor-aoe',
      program === 'vblade' ? 'aoe-server' : 'parallel-aoe-server',
      'aoe-probe',
      'guest-benchmark',
      'testbed-library',
      'debian-image',
    ],
    runner: { run: (ctx) => runBootStorm(ctx, program, cache), parse: parseBootStorm },
  };
}

/**
 * Beyond the paper (issue 21): N = 1 ... 64 clients booting at once from one server, for vblade
 * and aoe-parallel with the cache on and off; experiments/shared/boot-storm.ts says how.
 */
export const fig14BootStorm: Experiment = {
  id: stormExperimentId,
  figure: 14,
  section: 'beyond the paper',
  title: 'Boot storm: per-client boot-disk time and server throughput against the number of clients booting at once',
  metrics: bootStormMetrics,
  configurations: Object.fromEntries(configurations.map((id) => [id, plan(id)])) as Partial<
    Record<ConfigurationId, ConfigurationPlan>
  >,
  figureData: (input) => lineFigureRows(layout, input),
  paperRows: () => [],
  specFile: specBeside(import.meta.url),
  testbedDifference: textBeside(import.meta.url, 'testbed-difference.md'),
};
