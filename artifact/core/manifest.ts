// SPDX-License-Identifier: MIT
import { z } from 'zod';
import { readJsonValidated, writeJsonAtomic } from './json-file.js';
import { machineDescriptionSchema } from './machine-description.js';
import { diskProfileRecordSchema } from './disk-profile.js';
import { runOptionsSchema } from './options.js';
import { debianInstallers } from '../images/recipe.js';
import { clientHardwareSchema } from '../images/guest-frames.js';
import { hardwareDescriptionSchema } from '../testbed/hardware-description.js';

export const guestImageSchema = z.object({
  variant: z.string(),
  /** How the image was made (recipe.ts); absent in runs from before the installer path: debootstrap. */
  installer: z.enum(debianInstallers).optional(),
  path: z.string(),
  format: z.enum(['raw', 'qcow2']),
  /** Package list inside the image (dpkg), so a rerun can tell what changed. */
  packages: z.array(z.object({ name: z.string(), version: z.string() })),
});
export type GuestImage = z.infer<typeof guestImageSchema>;

export const manifestSchema = z.object({
  schema: z.literal('vmm-netboot/manifest@1'),
  runId: z.string(),
  options: runOptionsSchema,
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  machine: machineDescriptionSchema,
  guestImages: z.array(guestImageSchema),
  /**
   * The testbed's settings the numbers depend on (client memory and CPUs, MTU, fio and
   * application sizes, ...; experiments/shared/testbed-parameters.ts). Absent in older runs.
   */
  parameters: z.record(z.string(), z.unknown()).optional(),
  /** --testbed hardware: the description file the run used (data/testbeds/...). */
  hardwareTestbed: hardwareDescriptionSchema.optional(),
  /** What --profile resolved to: the hard disk model's scale and, for hdd-2011-scaled, the yardstick that set it. */
  diskProfile: diskProfileRecordSchema.optional(),
  /** The client PC as its guest saw it (the first benchmark job's client-hardware frame). */
  clientHardware: clientHardwareSchema.optional(),
});
export type Manifest = z.infer<typeof manifestSchema>;

export const readManifest = (file: string) =>
  readJsonValidated(
    file,
    manifestSchema,
    'The run folder is damaged or from another version; start a new run with --fresh.',
  );

export const writeManifest = (file: string, manifest: Manifest) => writeJsonAtomic(file, manifest);
