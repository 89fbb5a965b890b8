// SPDX-License-Identifier: MIT
import type { Experiment, MetricInfo } from '../../artifact/core/experiment.js';
import type { AppTestName } from '../../artifact/images/index.js';
import { appBenchmark, parseAppBenchmark } from '../shared/app-benchmark.js';
import { inBootSessions, type SessionConfigurationId } from '../shared/client-configurations.js';
import { barFigureRows, paperBarRows, type BarLayout } from '../shared/bar-figure.js';
import { panelsOf } from '../shared/metric-panels.js';
import { specBeside, textBeside } from '../shared/spec-file.js';
import { windowsGuestPlans } from '../shared/windows-guest.js';

/**
 * Open stand-ins for the PCMark Vantage tests the paper names (guest/netboot-bench/app_tests.py).
 * `memoryHeavy` marks those the paper found below local (Web page rendering, Windows Mail search
 * and copy). Measured in seconds; the figure turns them into scores.
 */
export const applicationTests: Record<AppTestName, { label: string; memoryHeavy: boolean }> = {
  'defender-scan': { label: 'Hash a file tree (Defender scan)', memoryHeavy: false },
  'app-loading': { label: 'Cold program starts (Application loading)', memoryHeavy: false },
  'music-import': { label: 'Import WAV tracks (Add music to WMP)', memoryHeavy: false },
  'audio-encode': { label: 'Encode WAV to FLAC (Video/audio editing)', memoryHeavy: false },
  'mail-search': { label: 'Search a Maildir (Windows Mail search)', memoryHeavy: true },
  'mail-copy': { label: 'Copy a Maildir (Windows Mail copy)', memoryHeavy: true },
  'web-render': { label: 'Lay out HTML pages with w3m (Web page rendering)', memoryHeavy: true },
};

const metrics: Record<string, MetricInfo> = Object.fromEntries(
  Object.entries(applicationTests).map(([id, test]) => [
    id,
    { label: test.label, unit: 's', better: 'lower' as const },
  ]),
);

const configurations: SessionConfigurationId[] = [
  'local',
  'vmm-local',
  'vmm-aoe-cache-on',
  'vmm-aoe-cache-off',
  'ipxe-sanboot-aoe',
];

const layout: BarLayout = {
  figure: 9,
  configurations,
  metrics: panelsOf(metrics),
  relative: { baseline: 'local', kind: 'score', metrics: Object.keys(metrics) },
};

export const fig09ApplicationBenchmark: Experiment = {
  id: 'fig09-application-benchmark',
  figure: 9,
  section: '5.6',
  title: 'Application benchmark (open stand-ins for PCMark Vantage), scores normalised to local = 1',
  metrics,
  configurations: {
    ...inBootSessions(configurations, { work: appBenchmark, parse: parseAppBenchmark, needs: ['guest-benchmark'] }),
    // The paper's guest; not in the figure's layout, listed as not run in the report.
    ...windowsGuestPlans,
  },
  figureData: (input) => barFigureRows(layout, input),
  paperRows: (paper) => paperBarRows(layout, paper),
  specFile: specBeside(import.meta.url),
  testbedDifference: textBeside(import.meta.url, 'testbed-difference.md'),
};
