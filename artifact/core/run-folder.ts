import { existsSync } from 'node:fs';
import { mkdir, readdir, rename } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describeMachine } from './machine-description.js';
import { readManifest, writeManifest, type Manifest } from './manifest.js';
import type { RunOptions } from './options.js';
import { paths, runLayout, type RunLayout } from './paths.js';

export interface OpenedRun {
  runId: string;
  layout: RunLayout;
  manifest: Manifest;
  resumed: boolean;
}

const runIdPattern = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function validateRunId(runId: string): string {
  if (!runIdPattern.test(runId)) throw new Error(`run id '${runId}' may only hold letters, digits, '.', '_' and '-'`);
  return runId;
}

export function newRunId(options: RunOptions, now = new Date()): string {
  const stamp = now.toISOString().replace(/\.\d+Z$/, 'Z').replaceAll(':', '').replace('T', '-');
  return `${stamp}-${os.hostname().replace(/[^A-Za-z0-9-]/g, '')}${options.smoke ? '-smoke' : options.quick ? '-quick' : ''}`;
}

/** The newest run folder whose manifest says it has not finished. */
async function latestUnfinishedRun(runsDir: string): Promise<{ runId: string; manifest: Manifest } | undefined> {
  if (!existsSync(runsDir)) return undefined;
  const ids = (await readdir(runsDir)).filter((id) => existsSync(runLayout(path.join(runsDir, id)).manifest)).sort().reverse();
  for (const runId of ids) {
    const manifest = await readManifest(runLayout(path.join(runsDir, runId)).manifest).catch(() => undefined);
    if (manifest && manifest.finishedAt === null) return { runId, manifest };
  }
  return undefined;
}

/**
 * Opens the run folder for `reproduce`: resumes the given run (or, without --run-id, the newest
 * unfinished one with the same options), or starts a new one. --fresh never deletes: an existing
 * folder of the same id is moved aside to <id>.replaced-<time>.
 */
export async function openRun(
  request: { runId?: string; options: RunOptions; fresh: boolean; parameters?: Record<string, unknown> },
  runsDir = paths.runs,
): Promise<OpenedRun> {
  let runId = request.runId === undefined ? undefined : validateRunId(request.runId);
  if (runId === undefined && !request.fresh) {
    const unfinished = await latestUnfinishedRun(runsDir);
    if (unfinished && isDeepStrictEqual(unfinished.manifest.options, request.options)) {
      return { runId: unfinished.runId, layout: runLayout(path.join(runsDir, unfinished.runId)), manifest: unfinished.manifest, resumed: true };
    }
  }
  runId ??= newRunId(request.options);
  const layout = runLayout(path.join(runsDir, runId));
  if (existsSync(layout.manifest)) {
    if (request.fresh) {
      await rename(layout.root, `${layout.root}.replaced-${new Date().toISOString().replaceAll(':', '')}`);
    } else {
      const manifest = await readManifest(layout.manifest);
      if (!isDeepStrictEqual(manifest.options, request.options)) {
        throw new Error(
          `run '${runId}' was started with options ${JSON.stringify(manifest.options)}, not ${JSON.stringify(request.options)}. ` +
            `Rerun with the same options to resume it, or add --fresh to start it over (the old folder is kept aside).`,
        );
      }
      return { runId, layout, manifest, resumed: true };
    }
  }
  await mkdir(layout.root, { recursive: true });
  const manifest: Manifest = {
    schema: 'vmm-netboot/manifest@1',
    runId,
    options: request.options,
    startedAt: new Date().toISOString(),
    finishedAt: null,
    machine: describeMachine(),
    guestImages: [],
    ...(request.parameters === undefined ? {} : { parameters: request.parameters }),
  };
  await writeManifest(layout.manifest, manifest);
  return { runId, layout, manifest, resumed: false };
}

/** Locates an existing run folder for `figures` / `compare`; the error says what exists. */
export async function existingRun(runId: string, runsDir = paths.runs): Promise<RunLayout> {
  const layout = runLayout(path.join(runsDir, validateRunId(runId)));
  if (!existsSync(layout.manifest)) {
    const known = existsSync(runsDir) ? (await readdir(runsDir)).filter((id) => existsSync(runLayout(path.join(runsDir, id)).manifest)) : [];
    throw new Error(`no run '${runId}' in ${runsDir} (no manifest.json). Known runs: ${known.join(', ') || 'none; run npm run reproduce first'}`);
  }
  return layout;
}
