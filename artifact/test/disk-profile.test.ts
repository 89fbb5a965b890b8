// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import {
  describeDiskProfile,
  diskModelScale,
  gigabitAoePayloadMBps,
  modelsDisks,
  runDiskProfile,
  scaleFromYardstick,
} from '../core/disk-profile.js';

describe('disk profiles', () => {
  it("2011's network: 1 GbE carrying 1024-byte AoE payloads in 1084 bytes of wire time", () => {
    expect(gigabitAoePayloadMBps).toBeCloseTo((125 * 1024) / 1084, 6);
    expect(gigabitAoePayloadMBps).toBeGreaterThan(115);
    expect(gigabitAoePayloadMBps).toBeLessThan(119);
  });

  it('k is the gigabit payload rate over the median yardstick pass', () => {
    const half = gigabitAoePayloadMBps / 2;
    expect(scaleFromYardstick([half]).modelScale).toBeCloseTo(2, 9);
    // The median, so one disturbed pass does not move k.
    const { modelScale, medianMBps } = scaleFromYardstick([half, 1, gigabitAoePayloadMBps]);
    expect(medianMBps).toBeCloseTo(half, 9);
    expect(modelScale).toBeCloseTo(2, 9);
    expect(scaleFromYardstick([gigabitAoePayloadMBps]).modelScale).toBeCloseTo(1, 9);
    expect(() => scaleFromYardstick([])).toThrow(/no pass/);
  });

  it('only the hdd profiles model disks; the scaled one needs its measured k', () => {
    expect(modelsDisks(undefined)).toBe(false);
    expect(modelsDisks('emulated')).toBe(false);
    expect(modelsDisks('hdd-2011')).toBe(true);
    expect(diskModelScale({ options: {} })).toBeUndefined();
    expect(diskModelScale({ options: { profile: 'hdd-2011' } })).toBe(1);
    expect(() => diskModelScale({ options: { profile: 'hdd-2011-scaled' } })).toThrow(/has not measured .* k/);
    expect(
      diskModelScale({
        options: { profile: 'hdd-2011-scaled' },
        diskProfile: { profile: 'hdd-2011-scaled', modelScale: 2.5 },
      }),
    ).toBe(2.5);
  });

  it('reports and subtitles name the profile, with k when it was measured', () => {
    expect(describeDiskProfile({ profile: 'hdd-2011', modelScale: 1 })).toBe('hdd-2011');
    expect(describeDiskProfile({ profile: 'hdd-2011-scaled', modelScale: 2.4567 })).toBe('hdd-2011-scaled (k = 2.46)');
    expect(runDiskProfile({ options: {} })).toBe('emulated');
    expect(
      runDiskProfile({
        options: { profile: 'hdd-2011-scaled' },
        diskProfile: { profile: 'hdd-2011-scaled', modelScale: 3 },
      }),
    ).toBe('hdd-2011-scaled (k = 3.00)');
  });
});
