// SPDX-License-Identifier: MIT
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createNetns, parseTimedLog, startMachine, type Machine } from '../testbed/index.js';
import { bootSectorLines, writeEchoBootSector } from './support/boot-sector.js';

// Real QEMU (TCG) booting a hand-made boot sector: exercises sockets, logs, send, reset, power off.
describe('testbed machine (real QEMU)', () => {
  let dir: string;
  let disk: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'testbed-test-'));
    disk = path.join(dir, 'boot.img');
    await writeEchoBootSector(disk);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('boots, captures both serial ports, echoes input, resets, powers off', { timeout: 120_000 }, async () => {
    const machine: Machine = await startMachine({
      name: 'bootsector',
      logDir: dir,
      memoryMiB: 64,
      niceness: 10,
      disks: [{ kind: 'image', path: disk, format: 'raw', mode: 'snapshot' }],
    });
    try {
      const first = await machine.consoles.com1.waitFor(/TESTBED COM1 OK/, 60_000);
      await machine.consoles.com2.waitFor(/TESTBED COM2 OK/, 10_000);
      expect(first.t).toBeGreaterThan(0);
      expect(first.t).toBeLessThan(machine.elapsedMs());

      machine.consoles.com1.send('ping-42\n');
      // Wait for the echoed newline too: a reset before it arrives would cut the line in the log.
      const echo = await machine.consoles.com1.waitFor(/ping-42\n/, 10_000);
      expect(echo.t).toBeGreaterThanOrEqual(first.t);

      await machine.reset();
      const second = await machine.consoles.com1.waitFor(/TESTBED COM1 OK/, 60_000);
      expect(second.t).toBeGreaterThan(echo.t);

      const status = await machine.powerOff();
      expect(status.code).toBe(0);
    } finally {
      await machine.kill();
    }
    const raw = await readFile(path.join(dir, 'bootsector.com1.log'), 'latin1');
    expect(raw).toContain(`${bootSectorLines.com1}ping-42\n`);
    expect(raw.split(bootSectorLines.com1).length - 1).toBe(2);
    const timed = parseTimedLog(await readFile(path.join(dir, 'bootsector.com1.timed.log'), 'utf8'));
    expect(timed.map((c) => c.text).join('')).toBe(raw);
    expect(await readFile(path.join(dir, 'bootsector.com2.log'), 'latin1')).toBe(bootSectorLines.com2.repeat(2));
    expect(() => process.kill(machine.pid, 0)).toThrow();
  });

  test("a bad QEMU argument fails start-up with QEMU's own message", { timeout: 60_000 }, async () => {
    await expect(startMachine({ name: 'badarg', logDir: dir, extraArgs: ['-no-such-option'] })).rejects.toThrow(
      /exited .*during start-up[\s\S]*no-such-option/,
    );
  });

  test(
    'a placeholder disk gives the BIOS a drive of the requested size (QMP query-block)',
    { timeout: 60_000 },
    async () => {
      const machine = await startMachine({
        name: 'placeholder',
        logDir: dir,
        memoryMiB: 64,
        niceness: 10,
        disks: [
          { kind: 'placeholder', sizeBytes: 4 * 2 ** 30 },
          { kind: 'image', path: disk, format: 'raw', mode: 'snapshot' },
        ],
      });
      try {
        const blocks = (await machine.qmp('query-block')) as {
          device: string;
          inserted?: { image: { 'virtual-size': number; format: string } };
        }[];
        const sizes = Object.fromEntries(blocks.filter((b) => b.inserted).map((b) => [b.device, b.inserted!.image]));
        expect(sizes['ide0-hd0']).toMatchObject({ 'virtual-size': 4 * 2 ** 30, format: 'null-co' });
        expect(sizes['ide0-hd1']).toMatchObject({ 'virtual-size': 512 });
      } finally {
        await machine.kill();
      }
    },
  );

  test(
    'a modelled disk (nbdkit + the hard disk model) boots the PC; its counters are written at power-off and the image is untouched',
    { timeout: 120_000 },
    async () => {
      const image = path.join(dir, 'modelled.img');
      await writeFile(image, Buffer.concat([await readFile(disk), Buffer.alloc(2 ** 20 - 512)]));
      const before = await readFile(image);
      const statsFile = path.join(dir, 'modelled.hdd.json');
      const machine = await startMachine({
        name: 'modelled',
        logDir: dir,
        memoryMiB: 64,
        niceness: 10,
        disks: [{ kind: 'modelled', path: image, scale: 1, writeCache: true, statsFile }],
      });
      try {
        await machine.consoles.com1.waitFor(/TESTBED COM1 OK/, 60_000);
        // The guest writes one sector through its disk: the write takes the model's time, not the image.
        await machine.qmp('human-monitor-command', { 'command-line': 'qemu-io ide0-hd0 "write -P 0x5a 4096 512"' });
        await machine.powerOff();
      } finally {
        await machine.kill();
      }
      const stats = JSON.parse(await readFile(statsFile, 'utf8')) as Record<string, number | boolean>;
      expect(stats).toMatchObject({ scale: 1, writeCache: true, writes: 1 });
      expect(stats['reads']).toBeGreaterThanOrEqual(1);
      expect(stats['positioningMs']).toBeGreaterThan(0);
      expect((await readFile(image)).equals(before)).toBe(true);
      await expect(
        startMachine({
          name: 'modelled-missing',
          logDir: dir,
          disks: [{ kind: 'modelled', path: path.join(dir, 'no-such.img'), scale: 1, writeCache: true }],
        }),
      ).rejects.toThrow(/modelled disk: no image at .*no-such\.img/);
    },
  );

  test(
    'a tap NIC in a network namespace gets carrier while QEMU runs; all is removed after',
    { timeout: 120_000 },
    async () => {
      const netns = await createNetns(`tbtest${process.pid}`);
      let machine: Machine | undefined;
      try {
        const tapState = async () => await netns.run(['ip', '-o', 'link', 'show', 'tap0']);
        expect(await tapState()).toMatch(/NO-CARRIER/);
        machine = await startMachine({
          name: 'tapnic',
          logDir: dir,
          memoryMiB: 64,
          niceness: 10,
          disks: [{ kind: 'image', path: disk, format: 'raw', mode: 'snapshot' }],
          netns: netns.name,
          nics: [{ kind: 'tap', tap: 'tap0', mac: '52:54:00:12:34:56' }],
        });
        await machine.consoles.com1.waitFor(/TESTBED COM1 OK/, 60_000);
        expect(await tapState()).toMatch(/LOWER_UP/);
      } finally {
        await machine?.kill();
        await netns.destroy();
      }
      expect(execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })).not.toContain(netns.name);
    },
  );

  test('a namespace with a bridge joins its taps to it (several PCs on one wire)', async () => {
    const netns = await createNetns(`tbbridge${process.pid}`, { taps: ['tap0', 'tap1'], bridge: 'br0' });
    try {
      for (const tap of ['tap0', 'tap1'])
        expect(await netns.run(['ip', '-o', 'link', 'show', tap])).toMatch(/ master br0 /);
      expect(await netns.run(['ip', '-o', 'link', 'show', 'br0'])).toMatch(/<[^>]*\bUP\b/);
    } finally {
      await netns.destroy();
    }
  });
});
