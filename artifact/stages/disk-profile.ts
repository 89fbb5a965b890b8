// SPDX-License-Identifier: MIT
// The reproduce step between provision and experiments: what --profile resolves to. For
// hdd-2011-scaled, and for any run with the disk-speed sweep (whose figures mark 2011's balance at
// 1/k), it measures the yardstick once per run (one boot) and keeps it in the run folder, so a
// resumed run reuses it instead of measuring again.
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  diskProfileRecordSchema,
  fixedDiskProfile,
  gigabitAoePayloadMBps,
  scaleFromYardstick,
  yardstickAssumption,
  type DiskProfileRecord,
} from '../core/disk-profile.js';
import type { RepetitionContext } from '../core/experiment.js';
import { readJsonValidated, writeJsonAtomic } from '../core/json-file.js';
import type { GuestImage } from '../core/manifest.js';
import type { RunOptions } from '../core/options.js';
import type { RunLayout } from '../core/paths.js';

/** In the run folder: the resolved profile (and the scaled profile's yardstick). */
export const diskProfileFile = 'disk-profile.json';

export interface DiskProfileStageContext {
  layout: RunLayout;
  options: RunOptions;
  guestImages: readonly GuestImage[];
  log: (line: string) => void;
  progress: (text: string) => void;
  /** Whether the run includes the disk-speed sweep, which needs the yardstick whatever the profile. */
  sweepPlanned: boolean;
  /** The yardstick boot (experiments/shared/disk-profile-yardstick.ts), handed in by the command. */
  measureYardstick: (ctx: RepetitionContext) => Promise<number[]>;
}

export async function resolveDiskProfile(ctx: DiskProfileStageContext): Promise<DiskProfileRecord> {
  const profile = ctx.options.profile ?? 'emulated';
  const fixed = fixedDiskProfile(profile);
  if (fixed !== undefined && !ctx.sweepPlanned) return fixed;

  const file = path.join(ctx.layout.root, diskProfileFile);
  if (existsSync(file)) {
    const earlier = await readJsonValidated(
      file,
      diskProfileRecordSchema,
      `delete it to measure the yardstick again, or start over with --fresh`,
    );
    if (earlier.profile === profile && earlier.yardstick !== undefined) {
      ctx.log(
        `yardstick ${earlier.yardstick.medianMBps.toFixed(1)} MB/s, measured earlier in this run (${diskProfileFile})`,
      );
      return earlier;
    }
  }
  const rawDir = path.join(ctx.layout.raw, 'disk-profile-yardstick');
  const yardstickCtx: RepetitionContext = {
    experimentId: 'disk-profile-yardstick',
    configuration: 'guest-aoe-initiator',
    repetition: 1,
    options: ctx.options,
    testbed: { kind: 'emulated' },
    rawDir,
    guestImages: ctx.guestImages,
    log: ctx.log,
    progress: ctx.progress,
  };
  const reads = await ctx.measureYardstick(yardstickCtx);
  const { modelScale, medianMBps } = scaleFromYardstick(reads);
  // A fixed profile keeps its own scale; the yardstick then only places 2011's balance on the sweep's axis.
  const record: DiskProfileRecord = {
    ...(fixed ?? { profile, modelScale }),
    yardstick: {
      what: "fio seq 1M O_DIRECT reads by the guest-aoe-initiator client (the guest's Linux aoe module) from vblade with its cache warm, local and server disks unmodelled",
      seqReadMBps: reads,
      medianMBps,
      referenceMBps: gigabitAoePayloadMBps,
      assumption: yardstickAssumption,
      measuredAt: new Date().toISOString(),
    },
  };
  await writeJsonAtomic(file, record);
  ctx.log(
    `yardstick: ${reads.map((r) => r.toFixed(1)).join(', ')} MB/s (median ${medianMBps.toFixed(1)}); k = ${gigabitAoePayloadMBps.toFixed(1)} / ${medianMBps.toFixed(1)} = ${modelScale.toFixed(3)}` +
      (fixed === undefined ? '' : `; ${profile} keeps its own scale, k only marks 2011's balance (1/k) on the sweep`),
  );
  return record;
}
