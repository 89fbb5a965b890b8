import type { Experiment } from '../../artifact/core/experiment.js';
import { lineFigureRows, type LineLayout } from '../shared/line-figure.js';
import { panelsOf } from '../shared/metric-panels.js';
import { specBeside } from '../shared/spec-file.js';

/** MB per second during the sequential benchmark: issued = vblade's accounting log, disk = /proc/diskstats. */
const metrics = {
  'read-issued': { label: 'read issued by the OS', unit: 'MB/s', better: 'higher' },
  'read-reached-disk': { label: 'read reaching the server disk', unit: 'MB/s', better: 'lower' },
  'write-issued': { label: 'write issued by the OS', unit: 'MB/s', better: 'higher' },
  'write-reached-disk': { label: 'write reaching the server disk', unit: 'MB/s', better: 'lower' },
} as const;

const layout: LineLayout = {
  configurations: ['vmm-aoe-cache-on', 'vmm-aoe-cache-off'],
  metrics: panelsOf(metrics),
  arrange: 'panel-per-configuration',
};

export const fig07BenchmarkCacheEffect: Experiment = {
  id: 'fig07-benchmark-cache-effect',
  figure: 7,
  section: '5.4.2',
  title: 'Server cache effect during the sequential disk benchmark',
  metrics,
  configurations: {
    'vmm-aoe-cache-on': { needs: ['hypervisor-aoe', 'aoe-server', 'server-accounting', 'testbed-library', 'debian-image', 'guest-benchmark'] },
    'vmm-aoe-cache-off': { needs: ['hypervisor-aoe', 'aoe-server', 'server-accounting', 'testbed-library', 'debian-image', 'guest-benchmark'] },
  },
  figureData: (input) => lineFigureRows(layout, input),
  // The paper's one number here (dirty threshold moves seq write by ~10 MB/s) is not a curve point.
  paperRows: () => [],
  specFile: specBeside(import.meta.url),
};
