// SPDX-License-Identifier: MIT
import { z } from 'zod';
import { configurationIds } from './configurations.js';
import { debianInstallers } from '../images/recipe.js';

/**
 * What the client's local disk and the server's disk are (--profile). emulated: image files on the
 * host's own disk (today's default). hdd-2011: both behind the hard disk timing model
 * (artifact/testbed/hdd-model) at the paper's drive, a WD Scorpio 80 GB 2.5" 5400 rpm disk.
 * hdd-2011-scaled: the same model with every disk time multiplied by a k the run measures, so that
 * this testbed's disk:network balance is 2011's (artifact/core/disk-profile.ts).
 */
export const diskProfiles = ['emulated', 'hdd-2011', 'hdd-2011-scaled'] as const;
export type DiskProfile = (typeof diskProfiles)[number];

/** Options of `reproduce`; recorded in the manifest so a resumed run uses the same ones. */
export const runOptionsSchema = z
  .object({
    quick: z.boolean(),
    /** --smoke: the smallest sizes, one repetition, every figure drawn (implies quick). Absent in runs made before it existed. */
    smoke: z.boolean().optional(),
    /**
     * --boot-per-experiment: every experiment boots its own client (the paper's procedure) instead
     * of sharing one boot per configuration and repetition. Absent in runs made before boot
     * sessions existed, which all booted per experiment.
     */
    bootPerExperiment: z.boolean().optional(),
    /**
     * --jobs N: client PCs run in N lanes at once, each on CPUs of its own (absent: one at a time).
     * Repetitions that measure boot times still run alone unless --parallel-boots.
     */
    jobs: z.number().int().min(1).max(64).optional(),
    parallelBoots: z.boolean().optional(),
    reps: z.number().int().min(1).max(100),
    only: z.array(z.string()).nullable(),
    testbed: z.enum(['emulated', 'hardware']),
    /** --profile: the client's local disk (absent: emulated, as in runs before the option existed). */
    profile: z.enum(diskProfiles).optional(),
    /** --configurations: run only these configurations of each experiment (the others are 'not run'). */
    configurations: z.array(z.enum(configurationIds)).nullable().optional(),
    /** --installer: how the guest images are made (absent: debootstrap, as in runs before the option existed). */
    installer: z.enum(debianInstallers).optional(),
    /** --windows-iso and --windows-product-key-file: the bring-your-own Windows guest (images/windows.ts). */
    windowsIso: z.string().min(1).optional(),
    windowsProductKeyFile: z.string().min(1).optional(),
  })
  .strict();
export type RunOptions = z.infer<typeof runOptionsSchema>;

/** Job sizes: smoke (does every part work?), quick (quick sizes), full (the paper's sizes). */
export type RunSize = 'smoke' | 'quick' | 'full';

export function runSize(options: Pick<RunOptions, 'quick' | 'smoke'>): RunSize {
  return options.smoke ? 'smoke' : options.quick ? 'quick' : 'full';
}

/**
 * Repetitions when --reps is not given: one for --smoke (kick the tires), three for --quick (the
 * fewest that give a verdict a confidence interval), five for a full run.
 */
export const defaultReps: Record<RunSize, number> = { smoke: 1, quick: 3, full: 5 };
