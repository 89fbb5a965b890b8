import { z } from 'zod';
import { configurationIds } from './configurations.js';
import { debianInstallers } from '../images/recipe.js';

/** Options of `reproduce`; recorded in the manifest so a resumed run uses the same ones. */
export const runOptionsSchema = z
  .object({
    quick: z.boolean(),
    reps: z.number().int().min(1).max(100),
    only: z.array(z.string()).nullable(),
    testbed: z.enum(['emulated', 'hardware']),
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

/** Repetitions when --reps is not given: one for --quick (kick the tires), five otherwise. */
export const defaultReps = { quick: 1, full: 5 } as const;

