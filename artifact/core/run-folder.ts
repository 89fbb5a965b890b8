// SPDX-License-Identifier: MIT
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describeMachine } from './machine-description.js';
import { readManifest, writeManifest, type Manifest } from './manifest.js';
import type { RunOptions } from './options.js';
import { paths, runLayout, type RunLayout } from './paths.js';
import { track } from '../testbed/reaper.js';

export interface OpenedRun {
  runId: string;
  layout: RunLayout;
  manifest: Manifest;
  resumed: boolean;
  /** Gives the run folder's lock back (at the end of reproduce, whatever happened). */
  release: () => Promise<void>;
}

const runIdPattern = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function validateRunId(runId: string): string {
  if (!runIdPattern.test(runId)) throw new Error(`run id '${runId}' may only hold letters, digits, '.', '_' and '-'`);
  return runId;
}

export function newRunId(options: RunOptions, now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replaceAll(':', '')
    .replace('T', '-');
  return `${stamp}-${os.hostname().replace(/[^A-Za-z0-9-]/g, '')}${options.smoke ? '-smoke' : options.quick ? '-quick' : ''}`;
}

/** The newest run folder whose manifest says it has not finished. */
async function latestUnfinishedRun(runsDir: string): Promise<{ runId: string; manifest: Manifest } | undefined> {
  if (!existsSync(runsDir)) return undefined;
  const ids = (await readdir(runsDir))
    .filter((id) => existsSync(runLayout(path.join(runsDir, id)).manifest))
    .sort()
    .reverse();
  for (const runId of ids) {
    const manifest = await readManifest(runLayout(path.join(runsDir, runId)).manifest).catch(() => undefined);
    if (manifest && manifest.finishedAt === null) return { runId, manifest };
  }
  return undefined;
}

/** The lock file that says which process is writing a run folder. */
const lockFileOf = (root: string) => path.join(root, 'run.lock');

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Throws, naming the process, when another live process holds run `runId`'s lock. */
async function refuseIfInUse(runId: string, root: string): Promise<void> {
  const holder = Number((await readFile(lockFileOf(root), 'utf8').catch(() => '')).trim());
  if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
    throw new Error(
      `run '${runId}' is in use by process ${holder} (${lockFileOf(root)}): wait for it to finish, or start another run with --run-id NAME`,
    );
  }
}

/**
 * Takes run folder `root` for this process: two processes writing one run would interleave their
 * repetitions and ledgers. A lock left by a process that died is taken over; the lock goes when
 * release() is called or this process ends.
 */
async function lockRun(runId: string, root: string): Promise<() => Promise<void>> {
  await refuseIfInUse(runId, root);
  await writeFile(lockFileOf(root), `${process.pid}\n`);
  const untrack = track('file', lockFileOf(root));
  return async () => {
    untrack();
    await rm(lockFileOf(root), { force: true });
  };
}

/**
 * Opens the run folder for `reproduce`: resumes the given run (or, without --run-id, the newest
 * unfinished one with the same options), or starts a new one. --fresh never deletes: an existing
 * folder of the same id is moved aside to <id>.replaced-<time>. The folder is locked for this
 * process until `release()`: a second process is told which process holds it.
 */
export async function openRun(
  request: { runId?: string; options: RunOptions; fresh: boolean; parameters?: Record<string, unknown> },
  runsDir = paths.runs,
): Promise<OpenedRun> {
  let runId = request.runId === undefined ? undefined : validateRunId(request.runId);
  if (runId === undefined && !request.fresh) {
    const unfinished = await latestUnfinishedRun(runsDir);
    if (unfinished && isDeepStrictEqual(unfinished.manifest.options, request.options)) {
      const layout = runLayout(path.join(runsDir, unfinished.runId));
      return {
        runId: unfinished.runId,
        layout,
        manifest: unfinished.manifest,
        resumed: true,
        release: await lockRun(unfinished.runId, layout.root),
      };
    }
  }
  runId ??= newRunId(request.options);
  const layout = runLayout(path.join(runsDir, runId));
  if (existsSync(layout.manifest)) {
    await refuseIfInUse(runId, layout.root);
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
      return { runId, layout, manifest, resumed: true, release: await lockRun(runId, layout.root) };
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
  const release = await lockRun(runId, layout.root);
  await writeManifest(layout.manifest, manifest);
  return { runId, layout, manifest, resumed: false, release };
}

/** Locates an existing run folder for `figures` / `compare`; the error says what exists. */
export async function existingRun(runId: string, runsDir = paths.runs): Promise<RunLayout> {
  const layout = runLayout(path.join(runsDir, validateRunId(runId)));
  if (!existsSync(layout.manifest)) {
    const known = existsSync(runsDir)
      ? (await readdir(runsDir)).filter((id) => existsSync(runLayout(path.join(runsDir, id)).manifest))
      : [];
    throw new Error(
      `no run '${runId}' in ${runsDir} (no manifest.json). Known runs: ${known.join(', ') || 'none; run npm run reproduce first'}`,
    );
  }
  return layout;
}
