import type { Experiment, MetricInfo } from '../../artifact/core/experiment.js';
import { barFigureRows, paperBarRows, type BarLayout } from '../shared/bar-figure.js';
import { specBeside } from '../shared/spec-file.js';

/**
 * Open stand-ins for the PCMark Vantage tests the paper names (scores: higher is better,
 * normalised to local = 1 in the figure). `memoryHeavy` marks the three the paper found below 1.
 */
export const applicationTests = {
  'defender-scan': { label: 'Scan and hash a file tree (Defender scan)', memoryHeavy: false },
  'application-loading': { label: 'Cold application start (Application loading)', memoryHeavy: false },
  'add-music': { label: 'Media indexing (Add music to WMP)', memoryHeavy: false },
  'video-audio-edit': { label: 'Audio/video transcode (editing and playback)', memoryHeavy: false },
  'web-page-rendering': { label: 'Headless page rendering (Web page rendering)', memoryHeavy: true },
  'mail-search': { label: 'Maildir full-text search (Windows Mail search)', memoryHeavy: true },
  'mail-copy': { label: 'Maildir copy (Windows Mail copy)', memoryHeavy: true },
} as const;

const metrics: Record<string, MetricInfo> = Object.fromEntries(
  Object.entries(applicationTests).map(([id, test]) => [id, { label: test.label, unit: 'score', better: 'higher' as const }]),
);

const layout: BarLayout = {
  figure: 9,
  configurations: ['local', 'vmm-local', 'vmm-aoe-cache-on'],
  metrics: Object.entries(metrics).map(([id, m]) => ({ id, label: m.label, unit: m.unit })),
  relative: { baseline: 'local', kind: 'ratio', metrics: Object.keys(metrics) },
};

export const fig09ApplicationBenchmark: Experiment = {
  id: 'fig09-application-benchmark',
  figure: 9,
  section: '5.6',
  title: 'Application benchmark (open stand-ins for PCMark Vantage), normalised to local = 1',
  metrics,
  configurations: {
    local: { needs: ['application-workloads', 'testbed-library', 'debian-image'] },
    'vmm-local': { needs: ['application-workloads', 'hypervisor-local-disk', 'testbed-library', 'debian-image'] },
    'vmm-aoe-cache-on': { needs: ['application-workloads', 'hypervisor-aoe', 'aoe-server', 'testbed-library', 'debian-image'] },
  },
  figureData: (input) => barFigureRows(layout, input),
  paperRows: (paper) => paperBarRows(layout, paper),
  specFile: specBeside(import.meta.url),
};
