// SPDX-License-Identifier: MIT
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { experiments } from '../../experiments/registry.js';
import { applicationTests } from '../../experiments/fig09-application-benchmark/experiment.js';
import { evaluateClaims, verdictLabel, type ClaimVerdict } from '../core/claims.js';
import { runDiskProfile } from '../core/disk-profile.js';
import { readManifest } from '../core/manifest.js';
import { repoRoot } from '../core/paths.js';
import { existingRun } from '../core/run-folder.js';
import { readAnalyses } from '../stages/analyse.js';

/** README's claims table sits between these markers; the first names the run it was made from. */
const beginMarker = /<!-- claims-table run=([A-Za-z0-9._-]+) -->\n/;
const endMarker = '<!-- claims-table end -->';
/** README's by-profile table of the disk-balance claims; the first marker names its runs, in column order. */
const profileBeginMarker = /<!-- profile-verdicts runs=([A-Za-z0-9._ -]+) -->\n/;
const profileEndMarker = '<!-- profile-verdicts end -->';

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** The claims as a Markdown table: what the paper says, what the run measured, the verdict and its rule. Pure. */
export function claimsMarkdown(claims: readonly ClaimVerdict[]): string {
  const rows = claims.map(
    (c) =>
      `| ${c.id} | ${cell(c.claim)} (${cell(c.paperFigure)}) | ${cell(c.paper)} | ${cell(c.ours)} | **${verdictLabel(c)}** |`,
  );
  return ['| | Claim | Paper | This run | Verdict |', '|---|---|---|---|---|', ...rows].join('\n');
}

/** The claims whose verdict depends on the client's disk against the network (issue: period-disk profiles). */
export const diskBalanceClaims = ['C1', 'C4', 'C5'] as const;

/** One column of the by-profile table: a run, its disk profile as reports name it, and its claims. */
export interface ProfileColumn {
  runId: string;
  profile: string;
  claims: readonly ClaimVerdict[];
}

/** The disk-balance claims' verdicts side by side, one column per run (each under its own disk profile). Pure. */
export function profileVerdictsMarkdown(columns: readonly ProfileColumn[]): string {
  const header = `| | Claim | ${columns.map((c) => `${cell(c.profile)} (${cell(c.runId)})`).join(' | ')} |`;
  const rule = `|---|---|${columns.map(() => '---|').join('')}`;
  const rows = diskBalanceClaims.map((id) => {
    const claim = columns.flatMap((column) => column.claims).find((c) => c.id === id);
    const verdicts = columns.map((column) => {
      const verdict = column.claims.find((c) => c.id === id);
      if (verdict === undefined) return 'not judged';
      const overall = verdictLabel(verdict);
      // Halves that disagree with the whole are named, so "not run" does not hide a reproduced half.
      const apart = verdict.halves.filter((half) => half.verdict !== overall);
      const detail =
        verdict.halves.length > 1 && apart.length > 0
          ? ` (${verdict.halves.map((half) => `${half.name}: ${half.verdict}`).join('; ')})`
          : '';
      return `**${overall}**${cell(detail)}`;
    });
    return `| ${id} | ${cell(claim?.claim ?? '')} | ${verdicts.join(' | ')} |`;
  });
  return [header, rule, ...rows].join('\n');
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

/** README's by-profile table: the runs its marker names, and the table between its markers. */
export function readmeProfileVerdicts(readme: string): { runIds: string[]; table: string; start: number; end: number } {
  const begin = profileBeginMarker.exec(readme);
  const end = readme.indexOf(profileEndMarker);
  if (begin === null || end < 0)
    throw new Error(
      `README.md has no by-profile table markers (<!-- profile-verdicts runs=ID ... --> ... ${profileEndMarker})`,
    );
  const start = begin.index + begin[0].length;
  return { runIds: begin[1]!.trim().split(/ +/), table: readme.slice(start, end).trim(), start, end };
}

/** The by-profile table's columns for these runs, each with the profile its manifest records. */
export async function profileColumns(runIds: readonly string[], runsDir?: string): Promise<ProfileColumn[]> {
  return Promise.all(
    runIds.map(async (runId) => {
      const layout = await existingRun(runId, runsDir);
      return {
        runId,
        profile: runDiskProfile(await readManifest(layout.manifest)),
        claims: await claimsOfRun(runId, runsDir),
      };
    }),
  );
}

/** `npm run claims-table -- --by-profile <run-id> ...`: rewrites README's by-profile table from those runs. */
export async function writeReadmeProfileVerdicts(runIds: readonly string[]): Promise<void> {
  const file = path.join(repoRoot, 'README.md');
  const readme = await readFile(file, 'utf8');
  const current = readmeProfileVerdicts(readme);
  const table = profileVerdictsMarkdown(await profileColumns(runIds));
  const head = readme
    .slice(0, current.start)
    .replace(profileBeginMarker, `<!-- profile-verdicts runs=${runIds.join(' ')} -->\n`);
  await writeFile(file, `${head}${table}\n${readme.slice(current.end)}`);
  process.stdout.write(`README.md: by-profile verdicts from runs ${runIds.join(', ')}\n`);
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
