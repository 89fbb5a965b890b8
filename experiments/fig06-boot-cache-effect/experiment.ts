import type { Experiment } from '../../artifact/core/experiment.js';
import { lineFigureRows, type LineLayout } from '../shared/line-figure.js';
import { panelsOf } from '../shared/metric-panels.js';
import { specBeside } from '../shared/spec-file.js';

/** Cumulative MB since the OS was chosen in GRUB: issued = vblade's accounting log, disk = /proc/diskstats. */
const metrics = {
  'read-issued': { label: 'read issued by the OS', unit: 'MB', better: 'lower' },
  'read-reached-disk': { label: 'read reaching the server disk', unit: 'MB', better: 'lower' },
  'write-issued': { label: 'write issued by the OS', unit: 'MB', better: 'lower' },
  'write-reached-disk': { label: 'write reaching the server disk', unit: 'MB', better: 'lower' },
} as const;

const layout: LineLayout = {
  configurations: ['vmm-aoe-cache-on', 'vmm-aoe-cache-off'],
  metrics: panelsOf(metrics),
  arrange: 'panel-per-configuration',
};

export const fig06BootCacheEffect: Experiment = {
  id: 'fig06-boot-cache-effect',
  figure: 6,
  section: '5.4.1',
  title: 'Server cache effect during boot: data the OS issued vs data reaching the server disk',
  metrics,
  configurations: {
    'vmm-aoe-cache-on': { needs: ['hypervisor-aoe', 'aoe-server', 'server-accounting', 'testbed-library', 'debian-image'] },
    'vmm-aoe-cache-off': { needs: ['hypervisor-aoe', 'aoe-server', 'server-accounting', 'testbed-library', 'debian-image'] },
  },
  figureData: (input) => lineFigureRows(layout, input),
  // The paper states only one number here (a write flush near 29 s); it is in the claims notes, not a curve.
  paperRows: () => [],
  specFile: specBeside(import.meta.url),
};
