// SPDX-License-Identifier: MIT
// reproduce --jobs N: client PCs in N lanes, each on its own CPUs; boot-time units run alone.
import { describe, expect, test } from 'vitest';
import { Lanes } from '../core/lanes.js';

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 5));

describe('lanes', () => {
  test("the host's CPUs are split evenly; a lane has at least one", () => {
    expect(new Lanes(2, 8).all).toEqual([
      { index: 0, cpus: '0-3' },
      { index: 1, cpus: '4-7' },
    ]);
    expect(new Lanes(2, 2).all.map((lane) => lane.cpus)).toEqual(['0', '1']);
    expect(new Lanes(3, 2).all.map((lane) => lane.cpus)).toEqual(['0', '1', '0']);
  });

  test('units share the lanes, each in a lane of its own; a unit that runs alone waits for all and gets every CPU', async () => {
    const lanes = new Lanes(2, 4);
    const events: string[] = [];
    const unit = (name: string, alone: boolean, hold: Promise<void>) =>
      lanes.run(alone, async (lane) => {
        events.push(`${name} start ${lane?.cpus ?? 'all'}`);
        await hold;
        events.push(`${name} end`);
      });
    let releaseA!: () => void;
    let releaseB!: () => void;
    const a = unit('a', false, new Promise<void>((r) => (releaseA = r)));
    const b = unit('b', false, new Promise<void>((r) => (releaseB = r)));
    const boot = unit('boot', true, tick());
    const c = unit('c', false, tick());
    await tick();
    expect(events).toEqual(['a start 0-1', 'b start 2-3']);
    releaseA();
    await tick();
    // The boot unit asked before c: it waits for b too, and c waits for it (first come, first served).
    expect(events).toEqual(['a start 0-1', 'b start 2-3', 'a end']);
    releaseB();
    await Promise.all([a, b, boot, c]);
    expect(events.slice(3)).toEqual(['b end', 'boot start all', 'boot end', 'c start 0-1', 'c end']);
  });

  test('one lane runs the units one at a time, in order, without pinning them', async () => {
    const lanes = new Lanes(1, 2);
    const seen: string[] = [];
    await Promise.all(
      ['x', 'y', 'z'].map((name) => lanes.run(false, async (lane) => void seen.push(`${name}:${lane?.cpus ?? 'all'}`))),
    );
    expect(seen).toEqual(['x:all', 'y:all', 'z:all']);
  });
});
