// SPDX-License-Identifier: MIT
// A private AoE wire for tests and benchmarks: one network namespace holding a veth pair, the
// server (vblade) on one end and aoe-probe on the other. Nothing leaves the namespace.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { track } from '../artifact/testbed/reaper.js';

export const serverDir = fileURLToPath(new URL('.', import.meta.url));
export const patchedVblade = `${serverDir}build/vblade`;
export const aoeProbe = `${serverDir}build/aoe-probe`;
/** The parallel AoE server (server/parallel/): vblade's command line and answers, io_uring I/O. */
export const parallelServer = `${serverDir}build/aoe-parallel`;
/** Debian's unpatched binary (package vblade), the benchmark's baseline. */
export const debianVblade = '/usr/sbin/vblade';

/**
 * The servers the conformance tests run against (describe.each): our patched vblade and
 * aoe-parallel must give the same answers. `parallel`: it keeps many requests in flight.
 */
export const conformanceServers = [
  { name: 'vblade', binary: patchedVblade, parallel: false },
  { name: 'aoe-parallel', binary: parallelServer, parallel: true },
] as const;

/** Builds server/build/vblade, aoe-probe and aoe-parallel (no-op when up to date). */
export function buildServer(): void {
  execFileSync('make', ['-s', '-C', serverDir], { stdio: ['ignore', 'ignore', 'pipe'] });
}

export interface ProbeResult {
  code: number;
  events: Record<string, unknown>[];
  stderr: string;
}

export interface ServerOptions {
  binary?: string;
  image: string;
  /** Extra vblade options, e.g. ['-d'] for O_DIRECT or ['-r'] for read-only. */
  flags?: string[];
  shelf?: number;
  slot?: number;
}

export interface RunningServer {
  process: ChildProcess;
  output: () => string;
  alive: () => boolean;
}

export interface VbladeLaunch {
  /** Network namespace the server runs in, and its interface there. */
  netns: string;
  ifname: string;
  image: string;
  shelf: number;
  slot: number;
  /** vblade options, e.g. ['-d'] for O_DIRECT (cache off), ['-r'] read-only, ['-b', '64'] buffers. */
  flags?: string[];
  binary?: string;
}

/**
 * Starts vblade inside a network namespace, collecting its output; the one place that does. Tied
 * to this process: the kernel kills it if this process dies without cleaning up (setpriv's
 * parent-death signal; ip netns exec and setpriv each exec the next, so vblade keeps it), and the
 * reaper stops it on an interrupt, before the loop device it holds is detached.
 */
export function spawnVblade(launch: VbladeLaunch): RunningServer {
  const vblade = [
    launch.binary ?? patchedVblade,
    ...(launch.flags ?? []),
    String(launch.shelf),
    String(launch.slot),
    launch.ifname,
    launch.image,
  ];
  const child = spawn('ip', ['netns', 'exec', launch.netns, 'setpriv', '--pdeathsig', 'SIGKILL', '--', ...vblade], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid !== undefined) child.once('exit', track('pid', child.pid));
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return { process: child, output: () => out, alive: () => child.exitCode === null && child.signalCode === null };
}

/** Stops a child process with SIGTERM and waits for it to exit (no-op when already gone). */
export async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

function run(cmd: string, args: string[]): void {
  execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

export class AoeLab {
  readonly serverIf = 'aoe-srv';
  readonly clientIf = 'aoe-cli';
  private servers: ChildProcess[] = [];
  /** SHELF.SLOT of the last server started: probes address it, so discovery ends at its answer. */
  private target = '0.1';

  /** The namespace stays in the testbed's reaper (artifact/testbed/reaper.ts) until close() deletes it. */
  private readonly untrackNamespace: () => void;

  private constructor(readonly ns: string) {
    this.untrackNamespace = track('namespace', ns);
  }

  /** Creates namespace `name` with a veth pair at the given MTU, both ends up. */
  static create(name: string, mtu = 1500): AoeLab {
    if (!/^[a-z0-9-]{1,40}$/.test(name)) throw new Error(`namespace name '${name}' must be [a-z0-9-]`);
    const lab = new AoeLab(name);
    run('ip', ['netns', 'add', name]);
    try {
      run('ip', [
        '-n',
        name,
        'link',
        'add',
        lab.serverIf,
        'mtu',
        String(mtu),
        'type',
        'veth',
        'peer',
        'name',
        lab.clientIf,
        'mtu',
        String(mtu),
      ]);
      run('ip', ['-n', name, 'link', 'set', lab.serverIf, 'up']);
      run('ip', ['-n', name, 'link', 'set', lab.clientIf, 'up']);
    } catch (error) {
      lab.close();
      throw error;
    }
    return lab;
  }

  setMtu(mtu: number): void {
    for (const dev of [this.serverIf, this.clientIf])
      run('ip', ['-n', this.ns, 'link', 'set', dev, 'mtu', String(mtu)]);
  }

  /** Starts a server on the namespace's server end and waits until it answers discovery. */
  async startServer(opts: ServerOptions): Promise<RunningServer> {
    const shelf = opts.shelf ?? 0;
    const slot = opts.slot ?? 1;
    this.target = `${shelf}.${slot}`;
    const server = spawnVblade({
      netns: this.ns,
      ifname: this.serverIf,
      image: opts.image,
      shelf,
      slot,
      flags: opts.flags,
      binary: opts.binary,
    });
    this.servers.push(server.process);
    const found = await this.probe(['discover', '--target', this.target, '--wait-ms', '5000']);
    if (found.code !== 0 || !server.alive()) {
      throw new Error(`server did not come up: ${server.output()}\n${found.stderr}`);
    }
    return server;
  }

  async stopServer(server: RunningServer): Promise<void> {
    await stopProcess(server.process);
    this.servers = this.servers.filter((s) => s !== server.process);
  }

  /**
   * Adds a client interface with its own MAC on the client end (a macvlan): several initiators
   * with distinct MACs on one wire, as the per-client overlays need. Returns its name.
   */
  addClient(name: string, mac: string): string {
    run('ip', [
      '-n',
      this.ns,
      'link',
      'add',
      name,
      'link',
      this.clientIf,
      'address',
      mac,
      'type',
      'macvlan',
      'mode',
      'bridge',
    ]);
    run('ip', ['-n', this.ns, 'link', 'set', name, 'up']);
    return name;
  }

  /**
   * Runs aoe-probe SUBCOMMAND --if <client end, or ifname> [--target <server>] ...args, parses
   * its JSON lines.
   */
  probe(args: string[], ifname = this.clientIf): Promise<ProbeResult> {
    const [subcommand, ...rest] = args;
    const target = subcommand === 'discover' || rest.includes('--target') ? [] : ['--target', this.target];
    // as the servers: killed with this process, and by the reaper when a run is interrupted
    const child = spawn(
      'ip',
      [
        'netns',
        'exec',
        this.ns,
        'setpriv',
        '--pdeathsig',
        'SIGKILL',
        '--',
        aoeProbe,
        subcommand!,
        '--if',
        ifname,
        ...target,
        ...rest,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    if (child.pid !== undefined) child.once('exit', track('pid', child.pid));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    return new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => {
        const events = stdout
          .split('\n')
          .filter((l) => l.trim() !== '')
          .map((l) => JSON.parse(l) as Record<string, unknown>);
        resolve({ code: code ?? -1, events, stderr });
      });
    });
  }

  /** The one event of a kind in a probe result, or an error saying what came instead. */
  static event(result: ProbeResult, kind: string): Record<string, unknown> {
    const found = result.events.filter((e) => e['event'] === kind);
    if (found.length !== 1) {
      throw new Error(
        `expected one '${kind}' event, got ${JSON.stringify(result.events)} (exit ${result.code}): ${result.stderr}`,
      );
    }
    return found[0]!;
  }

  /** Kills this lab's servers and deletes the namespace (safe to call twice). */
  close(): void {
    for (const s of this.servers) if (s.exitCode === null) s.kill('SIGKILL');
    this.servers = [];
    if (existsSync(`/run/netns/${this.ns}`)) {
      try {
        run('ip', ['netns', 'del', this.ns]);
      } catch {
        // already gone
      }
    }
    this.untrackNamespace();
  }
}

/** Attaches a file to a free loop device; returns e.g. '/dev/loop3'. */
export function attachLoop(image: string): string {
  return execFileSync('losetup', ['-f', '--show', image], { encoding: 'utf8' }).trim();
}

export function detachLoop(dev: string): void {
  execFileSync('losetup', ['-d', dev]);
}
