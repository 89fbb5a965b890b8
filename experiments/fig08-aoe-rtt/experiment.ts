// SPDX-License-Identifier: MIT
import type { Experiment } from '../../artifact/core/experiment.js';
import { parseProbeRtt, runProbeRtt } from '../shared/aoe-probe-rtt.js';
import { hypervisorRtt, parseHypervisorRtt } from '../shared/hypervisor-rtt.js';
import { inBootSessions, type SessionConfigurationId } from '../shared/client-configurations.js';
import { lineFigureRows, type LineLayout } from '../shared/line-figure.js';
import { panelsOf } from '../shared/metric-panels.js';
import { specBeside, textBeside } from '../shared/spec-file.js';

const metrics = {
  rtt: { label: 'Mean RTT by packet index', unit: 'ms', better: 'lower' },
  'access-latency': { label: 'Mean latency of one 1 MiB read in the guest', unit: 'ms', better: 'lower' },
  'one-command-accesses': { label: 'Share of 1 MiB reads sent as one ATA command', unit: 'fraction', better: 'higher' },
  retransmits: { label: 'AoE retransmissions during the reads', unit: 'frames', better: 'lower' },
  'probe-seq-read': { label: "The host initiator's 1 MiB sequential reads", unit: 'MB/s', better: 'higher' },
  // Beyond the paper: where the hypervisor's time goes, per answer it received (issue 18's breakdown).
  // With asynchronous completion (the default) a command's time includes the guest's own between
  // the hypervisor's turns: it lands in frame-other.
  'frame-busy': { label: 'Time per answer received while its command was in flight', unit: 'us', better: 'lower' },
  'frame-transmit': { label: '... building and queueing requests', unit: 'us', better: 'lower' },
  'frame-doorbell': { label: '... NIC doorbells (the emulated NIC sends inside them)', unit: 'us', better: 'lower' },
  'frame-receive': { label: '... taking answers off the ring and handling them', unit: 'us', better: 'lower' },
  'frame-idle': { label: '... polling with nothing to send or receive', unit: 'us', better: 'lower' },
  'frame-other': { label: "... the rest: exits, the guest's own time between turns", unit: 'us', better: 'lower' },
} as const;

/** The rows measured through the hypervisor, in boot sessions. */
const hypervisorConfigurations: SessionConfigurationId[] = [
  'vmm-aoe-cache-on',
  'vmm-aoe-cache-off',
  'vmm-aoe-jumbo-cache-on',
  'vmm-aoe-jumbo-cache-off',
  'vmm-aoe-parallel-cache-on',
  'vmm-aoe-parallel-cache-off',
];

const layout: LineLayout = {
  configurations: [...hypervisorConfigurations, 'probe-aoe-cache-on', 'probe-aoe-cache-off'],
  metrics: panelsOf({ rtt: metrics.rtt }),
  arrange: 'panel-per-metric',
};

export const fig08AoeRtt: Experiment = {
  id: 'fig08-aoe-rtt',
  figure: 8,
  section: '5.5',
  title: 'RTT of each AoE request packet by its index within one 1024 KB sequential read',
  metrics,
  configurations: {
    ...inBootSessions(hypervisorConfigurations, {
      work: hypervisorRtt,
      parse: parseHypervisorRtt,
      needs: ['hypervisor-rtt-trace', 'guest-benchmark'],
    }),
    'probe-aoe-cache-on': {
      needs: ['aoe-server', 'aoe-probe', 'debian-image'],
      runner: { run: (ctx) => runProbeRtt(ctx, 'on'), parse: parseProbeRtt },
    },
    'probe-aoe-cache-off': {
      needs: ['aoe-server', 'aoe-probe', 'debian-image'],
      runner: { run: (ctx) => runProbeRtt(ctx, 'off'), parse: parseProbeRtt },
    },
  },
  figureData: (input) => lineFigureRows(layout, input),
  // The paper states the RTT curves only qualitatively (later packets wait longer) plus the 12 ms gap.
  paperRows: () => [],
  specFile: specBeside(import.meta.url),
  testbedDifference: textBeside(import.meta.url, 'testbed-difference.md'),
};
