// SPDX-License-Identifier: MIT
// --profile hdd-2011-scaled's k, measured for real: the stock image boots as the
// guest-aoe-initiator client (QEMU TCG, e1000 on a tap), the guest's Linux aoe module reads a
// vblade target with its cache warm, and k is the gigabit AoE payload rate over the median pass.
// A resumed run reuses the k its folder holds instead of booting again.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { balanceSpeed, diskProfileRecordSchema, gigabitAoePayloadMBps } from '../core/disk-profile.js';
import type { GuestImage } from '../core/manifest.js';
import type { RunOptions } from '../core/options.js';
import { runLayout } from '../core/paths.js';
import { ensureDebianImage } from '../images/index.js';
import { diskProfileFile, resolveDiskProfile } from '../stages/disk-profile.js';
import { buildServer } from '../../server/lab.js';
import { measureYardstick } from '../../experiments/shared/disk-profile-yardstick.js';

const options: RunOptions = { quick: true, reps: 1, only: null, testbed: 'emulated', profile: 'hdd-2011-scaled' };

describe('the scaled disk profile', () => {
  let dir: string;
  let guestImages: GuestImage[];
  beforeAll(async () => {
    buildServer();
    const image = await ensureDebianImage();
    guestImages = [{ variant: 'stock', path: image.path, format: 'raw', packages: [] }];
    dir = await mkdtemp(path.join(os.tmpdir(), 'disk-profile-'));
  }, 30 * 60_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('fixed profiles need no boot unless the sweep runs: emulated models nothing, hdd-2011 is the model at k = 1', async () => {
    const layout = runLayout(path.join(dir, 'fixed'));
    const refuseToBoot = () => Promise.reject(new Error('a fixed profile must not boot the yardstick'));
    const quiet = {
      layout,
      guestImages,
      log: () => undefined,
      progress: () => undefined,
      measureYardstick: refuseToBoot,
      sweepPlanned: false,
    };
    expect(await resolveDiskProfile({ ...quiet, options: { ...options, profile: 'emulated' } })).toEqual({
      profile: 'emulated',
    });
    expect(await resolveDiskProfile({ ...quiet, options: { ...options, profile: 'hdd-2011' } })).toEqual({
      profile: 'hdd-2011',
      modelScale: 1,
    });
    expect(existsSync(path.join(layout.root, diskProfileFile))).toBe(false);

    // With the sweep planned, a fixed profile keeps its scale and the yardstick only places 2011's balance.
    const swept = await resolveDiskProfile({
      ...quiet,
      options: { ...options, profile: 'hdd-2011' },
      sweepPlanned: true,
      measureYardstick: () => Promise.resolve([40, 50, 45]),
    });
    expect(swept).toMatchObject({ profile: 'hdd-2011', modelScale: 1, yardstick: { medianMBps: 45 } });
    expect(balanceSpeed(swept)).toBeCloseTo(45 / gigabitAoePayloadMBps, 9);
    expect(
      await resolveDiskProfile({ ...quiet, options: { ...options, profile: 'hdd-2011' }, sweepPlanned: true }),
    ).toEqual(swept);
  });

  test(
    'hdd-2011-scaled measures k from the guest AoE initiator, keeps it in the run folder, and a resume reuses it',
    async () => {
      const layout = runLayout(path.join(dir, 'scaled'));
      const lines: string[] = [];
      const ctx = {
        layout,
        options,
        guestImages,
        log: (line: string) => lines.push(line),
        progress: () => undefined,
        sweepPlanned: false,
        measureYardstick,
      };
      const record = await resolveDiskProfile(ctx);

      const yardstick = record.yardstick!;
      expect(yardstick.seqReadMBps).toHaveLength(3);
      // Under TCG the guest initiator reads at tens of MB/s (47.5 in an earlier run): k is well
      // above 1, and far from what a broken measurement (a few KB/s, or RAM speed) would give.
      expect(yardstick.medianMBps).toBeGreaterThan(2);
      expect(yardstick.medianMBps).toBeLessThan(gigabitAoePayloadMBps * 4);
      expect(record.modelScale).toBeCloseTo(gigabitAoePayloadMBps / yardstick.medianMBps, 9);
      expect(yardstick.assumption).toMatch(/2 sectors per frame/);
      const kept = diskProfileRecordSchema.parse(
        JSON.parse(await readFile(path.join(layout.root, diskProfileFile), 'utf8')),
      );
      expect(kept).toEqual(record);
      // The boot's raw output stays: the console shows the job ran on the served disk.
      const console = await readFile(path.join(layout.raw, 'disk-profile-yardstick', 'client.com1.log'), 'latin1');
      expect(console).toMatch(/"id":"disk-profile-yardstick","ok":true,"type":"job-end"/);
      expect(lines.some((line) => /yardstick: .* MB\/s .*k = /.test(line))).toBe(true);

      lines.length = 0;
      expect(await resolveDiskProfile(ctx)).toEqual(record);
      expect(lines).toEqual([expect.stringMatching(/measured earlier in this run/)]);
    },
    15 * 60_000,
  );
});
