// SPDX-License-Identifier: MIT
// Every source file names its licence in its first lines (LICENSE says which applies where): MIT
// for the artifact's own code, GPL-2.0-only for the patches to vblade.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { repoRoot } from '../core/paths.js';

const sourceFile = /\.(ts|cjs|c|h|S|ld|py|sh|mk|service)$|(^|\/)Makefile$|^\.ci\/run$/;

const tracked = execFileSync('git', ['ls-files'], { cwd: repoRoot, encoding: 'utf8' }).split('\n').filter(Boolean);
const head = (file: string) => readFileSync(path.join(repoRoot, file), 'utf8').split('\n').slice(0, 3).join('\n');

test('every source file outside data/ carries an SPDX licence line', () => {
  const sources = tracked.filter((f) => sourceFile.test(f) && !f.startsWith('data/'));
  expect(sources.length).toBeGreaterThan(300);
  expect(sources.filter((f) => !/SPDX-License-Identifier: MIT\b/.test(head(f)))).toEqual([]);
});

test('the patches to vblade are GPL-2.0-only, as vblade is', () => {
  const patches = tracked.filter((f) => f.startsWith('server/patches/') && f.endsWith('.patch'));
  expect(patches.length).toBeGreaterThan(5);
  expect(patches.filter((f) => !/SPDX-License-Identifier: GPL-2\.0-only/.test(head(f)))).toEqual([]);
});
