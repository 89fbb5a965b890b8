// SPDX-License-Identifier: MIT
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { configurationIds } from './configurations.js';
import { readJsonValidated } from './json-file.js';
import { paths } from './paths.js';

/** A number (or a qualitative statement) the paper's text states; its figure images are lost. */
export const paperValueSchema = z
  .object({
    id: z.string().min(1),
    /** Set when a file covers two figures (Figs 6 and 7); otherwise the file's figure. */
    figure: z.number().int().optional(),
    configuration: z.enum(configurationIds),
    metric: z.string().min(1),
    kind: z.enum(['absolute', 'ratio', 'difference', 'qualitative']),
    baseline: z.enum(configurationIds).optional(),
    value: z.number().optional(),
    valueHigh: z.number().optional(),
    approximate: z.boolean().optional(),
    relation: z.enum(['about-equal', 'at-least-1', 'below-1', 'increasing-with-index']).optional(),
    unit: z.string().min(1),
    claims: z.array(z.string().regex(/^C\d+$/)),
    statement: z.string().min(1),
    quote: z.string().min(1),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.kind === 'qualitative' ? v.relation === undefined : v.value === undefined) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: 'qualitative values need a relation; numeric ones a value',
      });
    }
    if ((v.kind === 'ratio' || v.kind === 'difference') && v.baseline === undefined) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${v.kind} values need a baseline configuration` });
    }
  });
export type PaperValue = z.infer<typeof paperValueSchema> & { figure: number; section: string };

const paperFileSchema = z
  .object({ figure: z.number().int(), section: z.string(), title: z.string(), values: z.array(paperValueSchema) })
  .strict();

/** Every paper value in data/paper/*.json, each tagged with its figure and section. */
export async function loadPaperValues(directory = paths.paperData): Promise<PaperValue[]> {
  const files = (await readdir(directory)).filter((name) => name.endsWith('.json')).sort();
  const values: PaperValue[] = [];
  for (const name of files) {
    const file = await readJsonValidated(
      path.join(directory, name),
      paperFileSchema,
      'Fix the entry so it matches the paper text (see paper-notes.md).',
    );
    for (const value of file.values)
      values.push({ ...value, figure: value.figure ?? file.figure, section: file.section });
  }
  return values;
}
