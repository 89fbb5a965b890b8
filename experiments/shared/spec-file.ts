// SPDX-License-Identifier: MIT
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The spec.vl.json beside an experiment module (pass its import.meta.url). */
export const specBeside = (moduleUrl: string) => path.join(path.dirname(fileURLToPath(moduleUrl)), 'spec.vl.json');

/** A Markdown file beside an experiment module, as one paragraph of text: prose lives next to the spec, not in code. */
export const textBeside = (moduleUrl: string, name: string) =>
  readFileSync(path.join(path.dirname(fileURLToPath(moduleUrl)), name), 'utf8')
    .trim()
    .replace(/\s*\n\s*/g, ' ');
