// SPDX-License-Identifier: MIT
// Dependencies point one way (README "Layout"): experiments/ and server/ use artifact/'s core,
// testbed and images libraries, and artifact/core and artifact/report never import experiments/ or
// server/; what they need from there is handed to them by the commands that run them.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../core/paths.js';

function sourcesBelow(dir: string): string[] {
  return readdirSync(path.join(repoRoot, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourcesBelow(relative);
    return entry.name.endsWith('.ts') ? [relative] : [];
  });
}

/** The repository folders a file imports from (its relative imports, resolved). */
function importedFolders(file: string): string[] {
  const text = readFileSync(path.join(repoRoot, file), 'utf8');
  return [...text.matchAll(/from '(\.[^']+)'/g)].map((match) =>
    path.relative(repoRoot, path.resolve(path.dirname(path.join(repoRoot, file)), match[1]!)),
  );
}

describe('layers', () => {
  it('artifact/core, report, stages, testbed and images import nothing from experiments/ or server/', () => {
    const wrong = ['artifact/core', 'artifact/report', 'artifact/stages', 'artifact/testbed', 'artifact/images']
      .flatMap(sourcesBelow)
      .flatMap((file) =>
        importedFolders(file)
          .filter((target) => target.startsWith('experiments/') || target.startsWith('server/'))
          .map((target) => `${file} imports ${target}`),
      );
    expect(wrong).toEqual([]);
  });
});
