// SPDX-License-Identifier: MIT
// The boot storm's checks (issue 21 item 4, Fig. 14), judged inside one run: how closely the
// replaying initiators follow the real PCs whose boot they replay (V: the validation, with its
// stated margins), and what the storm shows of the two servers (S). server/bench/parallel-report.ts
// prints them beside aoe-parallel's goals.
import {
  stormExperimentId as fig14,
  stormServers,
  type StormConfigurationId,
} from '../../artifact/core/configurations.js';
import { at, type SpeedGoal } from '../../artifact/core/speed-goals.js';

/**
 * The replay's margin against real PCs: its span (first command to last) against a real PC's
 * power-on to login. Alone a replay keeps the recorded gaps, so its timeline should be the boot's
 * within 10 %; two real PCs at once share this host's two cores with the server and slow each
 * other down, so N = 2 gets 20 %.
 */
export const replaySpanMargin = { alone: [0.9, 1.1], twoAtOnce: [0.8, 1.2] } as const;

const stormRows = Object.keys(stormServers) as StormConfigurationId[];
// only aoe-parallel gives two real PCs their own overlays, so only its rows boot two at once
const twoRealRows = stormRows.filter((row) => stormServers[row].program === 'aoe-parallel');
const short = (row: StormConfigurationId) => row.replace('storm-', '');

const spanGoal = (row: StormConfigurationId, n: 1 | 2): SpeedGoal => ({
  id: `V${n}-${short(row)}`,
  goal: `${n === 1 ? 'one replay' : 'two replays at once'} keep${n === 1 ? 's' : ''} the real boot's timeline: storm span within ${(n === 1 ? replaySpanMargin.alone : replaySpanMargin.twoAtOnce).join('-')} x the real PCs' power-on to login (N = ${n})`,
  subject: at(fig14, row, 'storm-span', n),
  reference: at(fig14, row, 'real-login', n),
  direction: 'within',
  factor: n === 1 ? replaySpanMargin.alone : replaySpanMargin.twoAtOnce,
  unit: 's',
});

export const bootStormGoals: readonly SpeedGoal[] = [
  ...stormRows.map((row) => spanGoal(row, 1)),
  ...twoRealRows.map((row) => spanGoal(row, 2)),
  {
    id: 'V3',
    goal:
      "(reported, expected not met under TCG) a replay's disk time within 0.8-1.25 x a real PC's (N = 1, aoe-parallel, cache on): " +
      "the real PC's includes its hypervisor's own per-frame time under TCG, which a host-side initiator does not spend",
    subject: at(fig14, 'storm-parallel-cache-on', 'client-disk-time', 1),
    reference: at(fig14, 'storm-parallel-cache-on', 'real-disk-time', 1),
    direction: 'within',
    factor: [0.8, 1.25],
    unit: 's',
  },
  {
    id: 'S1',
    goal: "cache off, 64 clients: aoe-parallel's server throughput at least 3 x vblade's (vblade's single thread saturates)",
    subject: at(fig14, 'storm-parallel-cache-off', 'server-throughput', 64),
    reference: at(fig14, 'storm-vblade-cache-off', 'server-throughput', 64),
    direction: 'at least',
    factor: 3,
    unit: 'MB/s',
  },
  {
    id: 'S2',
    goal: "cache on, 64 clients: aoe-parallel's per-client boot-disk time at most vblade's",
    subject: at(fig14, 'storm-parallel-cache-on', 'client-disk-time', 64),
    reference: at(fig14, 'storm-vblade-cache-on', 'client-disk-time', 64),
    direction: 'at most',
    factor: 1,
    unit: 's',
  },
];
