// SPDX-License-Identifier: MIT
// The KVM + NFS baseline's server (paper 5.7): this host's kernel has no nfsd, so the export is
// served by nfs-ganesha (user space, Debian's package) inside the run's network namespace.
// NFSv3 needs a portmapper on the server; rpcbind runs in the namespace too, in a private mount
// namespace with its own /run, so it neither sees nor disturbs a portmapper of the host.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { paths } from '../artifact/core/paths.js';
import { track } from '../artifact/testbed/reaper.js';
import { stopProcess } from './lab.js';
import { ganeshaConfig, type NfsExport } from './nfs-config.js';

/** What the manifest and report say served the baseline's disk. */
export const nfsServerDescription =
  'nfs-ganesha 4.3 (user space, NFSv3 over TCP, VFS FSAL); the host kernel has no nfsd';

export interface NfsServerOptions extends NfsExport {
  netns: string;
  /** ganesha.log and ganesha.conf are kept there. */
  logDir: string;
  startTimeoutMs?: number;
}

const started = /NFS SERVER INITIALIZED/;

/** Runs `body` with the export served; rpcbind and ganesha are stopped afterwards, whatever happens. */
export async function withNfsServer<T>(options: NfsServerOptions, body: () => Promise<T>): Promise<T> {
  for (const binary of [paths.ganesha, paths.rpcbind]) {
    if (!existsSync(binary))
      throw new Error(
        `NFS server: ${binary} is missing: install nfs-ganesha, nfs-ganesha-vfs and rpcbind (artifact/bootstrap.sh does)`,
      );
  }
  const config = path.join(options.logDir, 'ganesha.conf');
  const log = path.join(options.logDir, 'ganesha.log');
  await writeFile(config, ganeshaConfig(options));
  const runDir = await mkdtemp(path.join(os.tmpdir(), 'nfs-run-'));
  const processes: ChildProcess[] = [];
  const start = (argv: string[]) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
    if (child.pid !== undefined) child.once('exit', track('pid', child.pid));
    processes.push(child);
    return child;
  };
  try {
    // The private /run lives as long as rpcbind; ganesha joins rpcbind's namespaces.
    const rpcbind = start([
      'ip',
      'netns',
      'exec',
      options.netns,
      'unshare',
      '--mount',
      '--propagation',
      'private',
      'setpriv',
      '--pdeathsig',
      'SIGKILL',
      '--',
      'sh',
      '-c',
      `mount -t tmpfs tmpfs /run && exec ${paths.rpcbind} -f -w`,
    ]);
    const rpcbindPid = await waitForExec(rpcbind.pid!, 'rpcbind');
    const ganesha = start([
      'nsenter',
      '-t',
      String(rpcbindPid),
      '--mount',
      '--net',
      'setpriv',
      '--pdeathsig',
      'SIGKILL',
      '--',
      paths.ganesha,
      '-F',
      '-L',
      log,
      '-f',
      config,
      '-p',
      '/run/ganesha.pid',
      '-N',
      'NIV_EVENT',
    ]);
    await waitForLog(log, ganesha, options.startTimeoutMs ?? 20_000);
    return await body();
  } finally {
    for (const child of processes.reverse()) await stopProcess(child);
    await rm(runDir, { recursive: true, force: true });
  }
}

/** Waits until process `pid` has become `name` (ip netns exec, unshare, setpriv and sh each exec the next). */
async function waitForExec(pid: number, name: string): Promise<number> {
  for (let waited = 0; waited < 10_000; waited += 50) {
    const comm = await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '');
    if (comm.trim() === name) return pid;
    if (comm === '') throw new Error(`NFS server: ${name} exited during start-up`);
    await sleep(50);
  }
  throw new Error(`NFS server: process ${pid} did not become ${name} within 10 s`);
}

async function waitForLog(log: string, ganesha: ChildProcess, timeoutMs: number): Promise<void> {
  for (let waited = 0; waited < timeoutMs; waited += 100) {
    const text = existsSync(log) ? await readFile(log, 'utf8') : '';
    if (started.test(text)) return;
    if (ganesha.exitCode !== null || ganesha.signalCode !== null)
      throw new Error(`nfs-ganesha exited during start-up: ${lastLines(text)}`);
    await sleep(100);
  }
  throw new Error(
    `nfs-ganesha did not start within ${timeoutMs} ms: ${lastLines(existsSync(log) ? await readFile(log, 'utf8') : '')}`,
  );
}

const lastLines = (text: string) =>
  text
    .split('\n')
    .filter((line) => !line.includes(':DBUS :'))
    .slice(-6)
    .join('\n');
