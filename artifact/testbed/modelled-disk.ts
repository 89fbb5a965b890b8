// SPDX-License-Identifier: MIT
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { $ } from 'zx';
import { paths } from '../core/paths.js';
import { track } from './reaper.js';
import type { ModelledDisk } from './spec.js';

/** In a repetition's raw folder when the disks are modelled (--profile hdd-2011...): the client's local disk model's counters. */
export const hddModelStatsFile = 'hdd-model.json';
/** Likewise for the AoE server's disk (experiments/shared/aoe-server.ts). */
export const hddModelServerStatsFile = 'hdd-model-server.json';

export interface ServedModelledDisk {
  /** Stops nbdkit; the model's counters are in disk.statsFile once this resolves. */
  stop(): Promise<void>;
  /** What nbdkit printed (its errors). */
  output(): string;
}

let filterBuilt: Promise<unknown> | undefined;

/** The filter is a small C library: built on first use (make does nothing when it is current). */
function buildFilter(): Promise<unknown> {
  filterBuilt ??= $`make -s -C ${paths.hddModel} filter`.quiet();
  return filterBuilt;
}

const readyTimeoutMs = 15_000;

/** A server process (nbdkit, nbdfuse) the reaper kills if this process ends first; keeps what it prints. */
function startTracked(command: string, args: readonly string[]) {
  let output = '';
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [child.stdout, child.stderr]) stream.on('data', (data: Buffer) => (output += data.toString()));
  const untrack = track('pid', child.pid ?? 0);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ended = () => child.exitCode !== null || child.signalCode !== null;
  return {
    output: () => output,
    ended,
    stop: async () => {
      if (!ended()) {
        child.kill('SIGTERM');
        await exited;
      }
      untrack();
    },
  };
}

/**
 * Serves `disk` on the unix socket `socket` with nbdkit: the file plugin on the image, nbdkit's
 * cow filter above it unless disk.keepWrites (the guest's writes stay in nbdkit's temporary
 * overlay), and the hard disk model above that, so every command the guest's disk sees, writes
 * included, takes the modelled drive's time. nbdkit exits with this process (--exit-with-parent) if it is not stopped.
 */
export async function serveModelledDisk(disk: ModelledDisk, socket: string): Promise<ServedModelledDisk> {
  if (!(disk.scale > 0)) throw new Error(`a modelled disk's scale must be above 0, not ${disk.scale}`);
  if (!existsSync(disk.path)) throw new Error(`modelled disk: no image at ${disk.path}`);
  await buildFilter();
  const args = [
    '--foreground',
    '--exit-with-parent',
    '--unix',
    socket,
    `--filter=${paths.hddFilter}`,
    ...(disk.keepWrites ? [] : ['--filter=cow']),
    'file',
    disk.path,
    `hdd-scale=${disk.scale}`,
    `hdd-write-cache=${disk.writeCache ? 'on' : 'off'}`,
    ...(disk.statsFile === undefined ? [] : [`hdd-stats=${disk.statsFile}`]),
  ];
  const nbdkit = startTracked(paths.nbdkit, args);
  const deadline = performance.now() + readyTimeoutMs;
  while (!existsSync(socket)) {
    if (nbdkit.ended() || performance.now() > deadline) {
      await nbdkit.stop();
      throw new Error(
        `nbdkit did not serve the modelled disk ${disk.path}: ${nbdkit.output().trim() || 'no output'}; ` +
          'is nbdkit installed? run artifact/bootstrap.sh',
      );
    }
    await sleep(20);
  }
  return { stop: nbdkit.stop, output: nbdkit.output };
}

/**
 * `disk` as a file on this host, for what reads files rather than NBD (the AoE server's loop
 * device): nbdkit serves it through the model, and nbdfuse (single-threaded, so the model sees
 * the kernel's requests in their order) shows that export as a FUSE file. Unmounted and stopped
 * after `body`, also on failure.
 */
export async function withModelledFile<T>(disk: ModelledDisk, body: (file: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hdd-'));
  const mountPoint = path.join(dir, 'mnt');
  await mkdir(mountPoint);
  const served = await serveModelledDisk(disk, path.join(dir, 'nbd.sock'));
  try {
    const file = path.join(mountPoint, 'disk');
    const fuse = startTracked(paths.nbdfuse, ['-s', file, '--unix', path.join(dir, 'nbd.sock')]);
    const untrackMount = track('mount', mountPoint);
    const mounted = () => readFileSync('/proc/mounts', 'utf8').includes(` ${mountPoint} `);
    try {
      const deadline = performance.now() + readyTimeoutMs;
      while (!mounted() || (await stat(file).catch(() => undefined))?.size !== (await stat(disk.path)).size) {
        if (fuse.ended() || performance.now() > deadline)
          throw new Error(
            `nbdfuse did not show the modelled disk ${disk.path} as a file: ${fuse.output().trim() || 'no output'}; ` +
              'is libnbd-bin installed? run artifact/bootstrap.sh',
          );
        await sleep(20);
      }
      return await body(file);
    } finally {
      if (mounted()) await $`umount ${mountPoint}`.quiet().nothrow();
      await fuse.stop();
      untrackMount();
    }
  } finally {
    await served.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
