// SPDX-License-Identifier: MIT
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { experiments } from '../../experiments/registry.js';
import { applicationTests } from '../../experiments/fig09-application-benchmark/experiment.js';
import { evaluateClaims, verdictLabel, type ClaimVerdict } from '../core/claims.js';
import { repoRoot } from '../core/paths.js';
import { existingRun } from '../core/run-folder.js';
import { readAnalyses } from '../stages/analyse.js';

/** README's claims table sits between these markers; the first names the run it was made from. */
const beginMarker = /<!-- claims-table run=([A-Za-z0-9._-]+) -->\n/;
const endMarker = '<!-- claims-table end -->';

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** The claims as a Markdown table: what the paper says, what the run measured, the verdict and its rule. Pure. */
export function claimsMarkdown(claims: readonly ClaimVerdict[]): string {
  const rows = claims.map(
    (c) =>
      `| ${c.id} | ${cell(c.claim)} (${cell(c.paperFigure)}) | ${cell(c.paper)} | ${cell(c.ours)} | **${verdictLabel(c)}** |`,
  );
  return ['| | Claim | Paper | This run | Verdict |', '|---|---|---|---|---|', ...rows].join('\n');
}

/** The claims of a run, judged by today's rules from its results alone (nothing in the run folder changes). */
export async function claimsOfRun(runId: string, runsDir?: string): Promise<ClaimVerdict[]> {
  const layout = await existingRun(runId, runsDir);
  return evaluateClaims(await readAnalyses(layout, experiments), applicationTests);
}

/** The run README's claims table names, and the table between its markers; throws when the markers are missing. */
export function readmeClaimsTable(readme: string): { runId: string; table: string; start: number; end: number } {
  const begin = beginMarker.exec(readme);
  const end = readme.indexOf(endMarker);
  if (begin === null || end < 0)
    throw new Error(`README.md has no claims table markers (<!-- claims-table run=ID --> ... ${endMarker})`);
  const start = begin.index + begin[0].length;
  return { runId: begin[1]!, table: readme.slice(start, end).trim(), start, end };
}

/** `npm run claims-table -- <run-id>`: rewrites README's claims table from that run. */
export async function writeReadmeClaimsTable(runId: string): Promise<void> {
  const file = path.join(repoRoot, 'README.md');
  const readme = await readFile(file, 'utf8');
  const current = readmeClaimsTable(readme);
  const table = claimsMarkdown(await claimsOfRun(runId));
  const head = readme.slice(0, current.start).replace(beginMarker, `<!-- claims-table run=${runId} -->\n`);
  await writeFile(file, `${head}${table}\n${readme.slice(current.end)}`);
  process.stdout.write(`README.md: claims table from run ${runId}\n`);
}
