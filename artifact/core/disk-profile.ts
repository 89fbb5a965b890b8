// SPDX-License-Identifier: MIT
// What a run's --profile resolves to: whether the hard disk model serves the disks, and at which
// time scale. The scaled profile's scale is measured by the run (experiments/shared/
// disk-profile-yardstick.ts), never taken from a configuration a claim judges.
import { z } from 'zod';
import { median } from 'mathjs';
import { diskProfiles, type DiskProfile } from './options.js';

/** The profiles under which the hard disk model (artifact/testbed/hdd-model) serves the client's and the server's disks. */
export const modelsDisks = (profile: DiskProfile | undefined): boolean =>
  profile !== undefined && profile !== 'emulated';

/**
 * 2011's network, as the yardstick's reference: the AoE payload rate of 1 Gb/s Ethernet at the
 * paper's MTU 1500, i.e. 2 sectors (1024 bytes) per frame. On the wire one frame is 14 bytes of
 * Ethernet header, 22 of AoE and ATA headers, the payload, a 4-byte FCS, and 20 bytes of preamble,
 * start delimiter and inter-frame gap. Assumed: the 2011 client and server kept a gigabit link
 * busy with full frames (no other traffic, no loss), so this is the upper limit of their network.
 */
export const gigabitAoePayloadMBps = (() => {
  const payload = 1024;
  const onWire = 14 + 22 + payload + 4 + 20;
  return (125e6 * payload) / onWire / 1e6;
})();

/** What the yardstick measured: the guest's own Linux AoE initiator reading a warm server (fio seq 1M, MB/s per pass). */
export const yardstickSchema = z.object({
  what: z.string(),
  seqReadMBps: z.array(z.number().positive()).min(1),
  medianMBps: z.number().positive(),
  referenceMBps: z.number().positive(),
  assumption: z.string(),
  measuredAt: z.string(),
});
export type Yardstick = z.infer<typeof yardstickSchema>;

/**
 * In the run folder and the manifest: the profile, the model's time scale, and the yardstick: where
 * the scaled profile's k came from, or (any profile) what places 2011's balance on the sweep's axis.
 */
export const diskProfileRecordSchema = z.object({
  profile: z.enum(diskProfiles),
  /** Every modelled disk time is multiplied by this (1: the paper's drive); absent when no disk is modelled. */
  modelScale: z.number().positive().optional(),
  yardstick: yardstickSchema.optional(),
});
export type DiskProfileRecord = z.infer<typeof diskProfileRecordSchema>;

export const yardstickAssumption =
  `2011's disk:network balance is the paper's drive against 1 GbE carrying AoE at 2 sectors per frame ` +
  `(${gigabitAoePayloadMBps.toFixed(1)} MB/s); this testbed's network is what the guest's own Linux AoE ` +
  `initiator reads from a warm server; k = ${gigabitAoePayloadMBps.toFixed(1)} MB/s / that rate slows every ` +
  `modelled disk time so that disk and network keep 2011's ratio.`;

/**
 * The scaled profile's k from the yardstick's passes: the gigabit AoE payload rate over the median
 * pass. A testbed whose network is as fast as 2011's gets k = 1 (the model at the paper's speed);
 * one at 0.4 of it gets k = 2.5 (every disk time 2.5 times longer).
 */
export function scaleFromYardstick(seqReadMBps: readonly number[]): { modelScale: number; medianMBps: number } {
  if (seqReadMBps.length === 0)
    throw new Error('the yardstick measured no pass: no scale for --profile hdd-2011-scaled');
  const medianMBps = median([...seqReadMBps]) as number;
  return { modelScale: gigabitAoePayloadMBps / medianMBps, medianMBps };
}

/** The record of a profile that needs no measurement (emulated: nothing modelled; hdd-2011: the model at scale 1). */
export function fixedDiskProfile(profile: DiskProfile): DiskProfileRecord | undefined {
  if (profile === 'emulated') return { profile };
  if (profile === 'hdd-2011') return { profile, modelScale: 1 };
  return undefined;
}

/** One line for reports and figure subtitles: "hdd-2011-scaled (k = 2.47)". */
export function describeDiskProfile(record: Pick<DiskProfileRecord, 'profile' | 'modelScale'>): string {
  return record.profile === 'hdd-2011-scaled' && record.modelScale !== undefined
    ? `${record.profile} (k = ${record.modelScale.toFixed(2)})`
    : record.profile;
}

/**
 * The hard disk model's time scale for a repetition, or undefined when its disks are not modelled.
 * The scaled profile's k comes from the run's disk profile step; a repetition without it is refused.
 */
export function diskModelScale(ctx: {
  options: { profile?: DiskProfile | undefined };
  diskProfile?: DiskProfileRecord | undefined;
}): number | undefined {
  const profile = ctx.options.profile ?? 'emulated';
  if (!modelsDisks(profile)) return undefined;
  const scale = ctx.diskProfile?.modelScale ?? fixedDiskProfile(profile)?.modelScale;
  if (scale === undefined)
    throw new Error(
      `--profile ${profile}: the run has not measured the hard disk model's scale k (its disk profile step)`,
    );
  return scale;
}

/**
 * Where 2011's disk:network balance sits on the disk-speed sweep's axis (the local disk's speed
 * relative to the paper's drive): 1/k, the drive slowed as much as this testbed's network is
 * slower than 1 GbE's AoE payload rate. Undefined when the run measured no yardstick.
 */
export function balanceSpeed(record: DiskProfileRecord | undefined): number | undefined {
  const yardstick = record?.yardstick;
  return yardstick === undefined ? undefined : yardstick.medianMBps / yardstick.referenceMBps;
}

/** A run's profile as reports and figure subtitles name it, from its manifest (older runs record only the option). */
export function runDiskProfile(manifest: {
  options: { profile?: DiskProfile | undefined };
  diskProfile?: DiskProfileRecord | undefined;
}): string {
  return describeDiskProfile(manifest.diskProfile ?? { profile: manifest.options.profile ?? 'emulated' });
}
