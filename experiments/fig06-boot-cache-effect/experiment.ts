import type { Experiment } from '../../artifact/core/experiment.js';
import { withAoeServer } from '../shared/aoe-server.js';
import { bootToLogin } from '../shared/boot-to-login.js';
import { bootCacheMetrics, parseBootCacheEffect } from '../shared/cache-effect.js';
import { lineFigureRows, type LineLayout } from '../shared/line-figure.js';
import { panelsOf } from '../shared/metric-panels.js';
import { specBeside } from '../shared/spec-file.js';

/** Cumulative MB since GRUB left its menu: issued = the patched vblade's counters, reached disk = the server's loop device statistics. */
const metrics = bootCacheMetrics;

const needs = ['hypervisor-aoe', 'aoe-server', 'server-accounting', 'testbed-library', 'debian-image'] as const;

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
    'vmm-aoe-cache-on': { needs, runner: { run: (ctx) => withAoeServer(ctx, 'on', (boot) => bootToLogin(ctx, boot)), parse: parseBootCacheEffect } },
    'vmm-aoe-cache-off': { needs, runner: { run: (ctx) => withAoeServer(ctx, 'off', (boot) => bootToLogin(ctx, boot)), parse: parseBootCacheEffect } },
  },
  figureData: (input) => lineFigureRows(layout, input),
  // The paper states only one number here (a write flush near 29 s); it is in the claims notes, not a curve.
  paperRows: () => [],
  specFile: specBeside(import.meta.url),
  testbedDifference:
    'What is measured is the same mechanism as in the paper: bytes the client issued (vblade\'s counters) against bytes that reached the server\'s block device (a loop device in direct-I/O mode, so the page cache in front of it is the server\'s only cache). The server\'s storage is the host\'s, not an HDD, and the boot is slower under TCG. Predicted: the same shape as the paper (cache off: everything reaches the disk; cache on, warm: almost nothing does), stretched over a longer boot.',
};
