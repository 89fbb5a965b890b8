// SPDX-License-Identifier: MIT
// README's claims table is generated from a committed run (npm run claims-table -- <run-id>): it
// must say what that run's results give under today's rules, so neither can drift from the other.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { claimsMarkdown, claimsOfRun, readmeClaimsTable } from '../commands/claims-table.js';
import { repoRoot } from '../core/paths.js';

describe("README's claims table", () => {
  it('is the table its reference run gives today (regenerate it with npm run claims-table -- <run-id>)', async () => {
    const readme = readmeClaimsTable(await readFile(path.join(repoRoot, 'README.md'), 'utf8'));
    const claims = await claimsOfRun(readme.runId);
    expect(claims.map((c) => c.id)).toEqual(['C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7', 'C8', 'C9']);
    expect(readme.table).toBe(claimsMarkdown(claims));
  });

  it('refuses a README without its markers, saying which', () => {
    expect(() => readmeClaimsTable('# no table here\n')).toThrow(/<!-- claims-table run=ID -->/);
  });

  it('keeps a pipe in a cell from splitting the row', () => {
    const table = claimsMarkdown([
      {
        id: 'C0',
        claim: 'a | b',
        paperFigure: 'Fig. 0',
        paper: 'p',
        ours: 'o',
        rule: 'r',
        verdict: 'not run',
        strength: null,
      },
    ]);
    expect(table.split('\n')[2]).toBe('| C0 | a \\| b (Fig. 0) | p | o | **not run** |');
  });
});
