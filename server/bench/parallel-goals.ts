// SPDX-License-Identifier: MIT
// aoe-parallel's goals (issue 21 item 3), judged inside one run from the client's side: the
// hypervisor booted from aoe-parallel (vmm-aoe-parallel-cache-*) against the same chain from the
// patched vblade (vmm-aoe-cache-*), Figs 5 and 8. server/bench/parallel-report.ts prints them.
import { at, fig05, fig08, type SpeedGoal } from '../../artifact/core/speed-goals.js';

export const parallelServerGoals: readonly SpeedGoal[] = [
  {
    id: 'P1',
    goal: "cache-off seq read at least 3 x vblade's cache-off (the paper's 5.5 collapse removed)",
    subject: at(fig05, 'vmm-aoe-parallel-cache-off', 'seq-read'),
    reference: at(fig05, 'vmm-aoe-cache-off', 'seq-read'),
    factor: 3,
    direction: 'at least',
    unit: 'MB/s',
  },
  {
    id: 'P2',
    goal: 'cache-off 4K random read within 10 % of cache-on (at least 0.9 x)',
    subject: at(fig05, 'vmm-aoe-parallel-cache-off', 'rand4k-read'),
    reference: at(fig05, 'vmm-aoe-parallel-cache-on', 'rand4k-read'),
    factor: 0.9,
    direction: 'at least',
    unit: 'MB/s',
  },
  {
    id: 'P3',
    goal: 'cache-off 4K random write within 10 % of cache-on (at least 0.9 x)',
    subject: at(fig05, 'vmm-aoe-parallel-cache-off', 'rand4k-write'),
    reference: at(fig05, 'vmm-aoe-parallel-cache-on', 'rand4k-write'),
    factor: 0.9,
    direction: 'at least',
    unit: 'MB/s',
  },
  {
    id: 'P4',
    goal: "a flat Fig. 8 curve with the cache off: the last packet's RTT at most 1.5 x the first's",
    subject: at(fig08, 'vmm-aoe-parallel-cache-off', 'rtt', 'last'),
    reference: at(fig08, 'vmm-aoe-parallel-cache-off', 'rtt', 0),
    factor: 1.5,
    direction: 'at most',
    unit: 'ms',
  },
  {
    id: 'P5',
    goal: "(for contrast, expected not met) vblade's cache-off curve: the last packet's RTT at most 1.5 x the first's",
    subject: at(fig08, 'vmm-aoe-cache-off', 'rtt', 'last'),
    reference: at(fig08, 'vmm-aoe-cache-off', 'rtt', 0),
    factor: 1.5,
    direction: 'at most',
    unit: 'ms',
  },
];
