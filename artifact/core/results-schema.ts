// SPDX-License-Identifier: MIT
import { z } from 'zod';
import { configurationIds } from './configurations.js';
import { hostActivitySchema } from './host-activity.js';

/** One measured number: a metric of one repetition (and pass, for best-of-N benchmarks). */
export const measurementSchema = z
  .object({
    metric: z.string().min(1),
    unit: z.string().min(1),
    repetition: z.number().int().min(1),
    pass: z.number().int().min(1).optional(),
    /** Position on the x axis for series data (time in s, packet index); absent for scalar metrics. */
    x: z.number().optional(),
    value: z.number().finite(),
  })
  .strict();
export type Measurement = z.infer<typeof measurementSchema>;

const configurationId = z.enum(configurationIds);

export const configurationResultSchema = z.discriminatedUnion('status', [
  z
    .object({
      configuration: configurationId,
      status: z.literal('ran'),
      repetitions: z.number().int().min(1),
      measurements: z.array(measurementSchema).min(1),
      /** What else the host did during each repetition (absent in runs made before it was recorded). */
      hostActivity: z.array(hostActivitySchema).optional(),
    })
    .strict(),
  z.object({ configuration: configurationId, status: z.literal('not-run'), reason: z.string().min(1) }).strict(),
  z.object({ configuration: configurationId, status: z.literal('failed'), reason: z.string().min(1) }).strict(),
]);
export type ConfigurationResult = z.infer<typeof configurationResultSchema>;

export const resultFileSchema = z
  .object({
    schema: z.literal('vmm-netboot/result@1'),
    experiment: z.string().min(1),
    figure: z.number().int(),
    configurations: z.array(configurationResultSchema),
  })
  .strict();
export type ResultFile = z.infer<typeof resultFileSchema>;

/** Measurements of one repetition, as the experiment's parser returned them (raw/<exp>/<config>/rep-N/). */
export const repetitionFileSchema = z
  .object({ measurements: z.array(measurementSchema).min(1), hostActivity: hostActivitySchema.optional() })
  .strict();
export type RepetitionFile = z.infer<typeof repetitionFileSchema>;
