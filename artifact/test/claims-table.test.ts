// SPDX-License-Identifier: MIT
// README's claims table is generated from a committed run (npm run claims-table -- <run-id>): it
// must say what that run's results give under today's rules, so neither can drift from the other.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  claimsMarkdown,
  claimsOfRun,
  profileColumns,
  profileVerdictsMarkdown,
  readmeClaimsTable,
  readmeProfileVerdicts,
} from '../commands/claims-table.js';
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
    expect(() => readmeProfileVerdicts('# no table here\n')).toThrow(/<!-- profile-verdicts runs=ID/);
  });

  it('by profile: is the table its runs give today (npm run claims-table -- --by-profile <run-id> ...)', async () => {
    const readme = readmeProfileVerdicts(await readFile(path.join(repoRoot, 'README.md'), 'utf8'));
    expect(readme.runIds.length).toBeGreaterThan(0);
    expect(readme.table).toBe(profileVerdictsMarkdown(await profileColumns(readme.runIds)));
  });

  it('by profile: one column per run under its profile, one row per disk-balance claim', () => {
    const claim = (id: string, verdict: 'reproduced' | 'differs', strength: 'confident' | 'indicative') => ({
      id,
      claim: `claim ${id}`,
      paperFigure: 'Fig. 0',
      paper: 'p',
      ours: 'o',
      rule: 'r',
      halves: [{ name: 'only half', verdict }],
      verdict,
      strength,
    });
    const table = profileVerdictsMarkdown([
      { runId: 'a', profile: 'emulated', claims: [claim('C1', 'differs', 'confident')] },
      {
        runId: 'b',
        profile: 'hdd-2011-scaled (k = 2.50)',
        claims: [claim('C1', 'reproduced', 'indicative'), claim('C4', 'reproduced', 'confident')],
      },
    ]).split('\n');
    expect(table[0]).toBe('| | Claim | emulated (a) | hdd-2011-scaled (k = 2.50) (b) |');
    expect(table[2]).toBe('| C1 | claim C1 | **differs** | **indicative: reproduced** |');
    expect(table[3]).toBe('| C4 | claim C4 | not judged | **reproduced** |');
    expect(table).toHaveLength(5);
  });

  it('by profile: names the halves when they disagree with the whole, so "not run" hides no result', () => {
    const split = profileVerdictsMarkdown([
      {
        runId: 'c',
        profile: 'hdd-2011-scaled (k = 2.42)',
        claims: [
          {
            id: 'C1',
            claim: 'claim C1',
            paperFigure: 'Fig. 4',
            paper: 'p',
            ours: 'o',
            rule: 'r',
            halves: [
              { name: 'OS boot', verdict: 'reproduced' },
              { name: 'incl. VMM boot', verdict: 'not run' },
            ],
            verdict: 'not run',
            strength: null,
          },
        ],
      },
    ]).split('\n');
    expect(split[2]).toBe('| C1 | claim C1 | **not run** (OS boot: reproduced; incl. VMM boot: not run) |');
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
        halves: [],
        verdict: 'not run',
        strength: null,
      },
    ]);
    expect(table.split('\n')[2]).toBe('| C0 | a \\| b (Fig. 0) | p | o | **not run** |');
  });
});
