// SPDX-License-Identifier: MIT
import { tunables } from '../core/tunables.js';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { FwCfgFile } from '../testbed/index.js';

/** CrystalDiskMark 3's rows, run by guest/netboot-bench/fio_tests.py (same names there). */
export const fioTestNames = ['seq-1m', 'rand-512k', 'rand-4k', 'rand-4k-qd32'] as const;
/** PCMark Vantage stand-ins, run by guest/netboot-bench/app_tests.py (mapping table there). */
export const appTestNames = [
  'defender-scan',
  'app-loading',
  'music-import',
  'audio-encode',
  'mail-search',
  'mail-copy',
  'web-render',
] as const;

export type FioTestName = (typeof fioTestNames)[number];
export type AppTestName = (typeof appTestNames)[number];

export const benchJobSchema = z
  .object({
    version: z.literal(1),
    /** Names the on-disk result folder in the guest (/var/lib/netboot-bench/<id>). */
    id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'use 1-64 letters, digits, ".", "_" or "-"'),
    /** Seeds every generated input and fio's random offsets. */
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31),
    powerOff: z.boolean().default(true),
    fio: z
      .object({
        tests: z.array(z.enum(fioTestNames)).min(1),
        /** Test file size (fio "m" = MiB); CrystalDiskMark: 1000. */
        sizeMiB: z.number().int().min(1),
        /** Timed passes per test and direction; the best is reported. CrystalDiskMark: 5. */
        passes: z.number().int().min(1),
        runtimeSeconds: z.number().int().min(1),
        /**
         * Run on an AoE disk through the guest's own Linux initiator (guest/netboot-bench/aoe_disk.py
         * formats and mounts it) instead of the root file system: the comparison with our hypervisor.
         */
        guestAoeDisk: z
          .object({ shelf: z.number().int().min(0).max(65534), slot: z.number().int().min(0).max(254) })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
    /** Fig. 8: hypervisor AoE statistics over `accesses` 1 MiB sequential O_DIRECT reads (needs our hypervisor). */
    rtt: z
      .object({
        /** Test file size; reads loop over it when accesses exceed it. */
        sizeMiB: z.number().int().min(1),
        accesses: z.number().int().min(1),
      })
      .strict()
      .optional(),
    apps: z
      .object({
        tests: z.array(z.enum(appTestNames)).min(1),
        /** Input size relative to the full data sets (1 = about 125 MB tree, 2000 mails, 20 tracks). */
        scale: z.number().positive().max(10),
        passes: z.number().int().min(1),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine(
    (job) => job.fio !== undefined || job.rtt !== undefined || job.apps !== undefined,
    'a job needs "fio", "rtt" or "apps"',
  );

export type BenchJob = z.input<typeof benchJobSchema>;

/** CrystalDiskMark 3 defaults (full), a small setting for quick runs and a smaller one for smoke runs and tests. */
export const fioPresets = {
  full: { tests: [...fioTestNames], ...tunables.fio.full },
  quick: { tests: [...fioTestNames], ...tunables.fio.quick },
  smoke: { tests: [...fioTestNames], ...tunables.fio.smoke },
} as const;

export const jobFwCfgName = 'opt/netboot-bench/job.json';

/**
 * Validates a job and writes it to <dir>/job.json; returns the fw_cfg entry to put in
 * MachineSpec.fwCfgFiles. Why fw_cfg: the job reaches the guest without touching the disk
 * under test or the IDE controller the hypervisor traps, without root or loop mounts on the
 * host, and the image (or its overlay) stays byte-identical whether a job is given or not.
 */
export async function writeJobFile(job: BenchJob, dir: string): Promise<FwCfgFile> {
  const parsed = benchJobSchema.safeParse(job);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'job'}: ${i.message}`);
    throw new Error(`invalid benchmark job:\n  - ${problems.join('\n  - ')}`);
  }
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, 'job.json');
  await writeFile(file, `${JSON.stringify(parsed.data, null, 2)}\n`);
  return { name: jobFwCfgName, path: file };
}
