// SPDX-License-Identifier: MIT
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { quote } from 'zx';
import { failWaitsOnLastWords, SerialConsole } from './console.js';
import { resolveAcceleration } from './kvm.js';
import { QmpClient } from './qmp.js';
import { serveModelledDisk, type ServedModelledDisk } from './modelled-disk.js';
import { buildQemuArgs, modelledDiskSocket, qemuBinary, socketPaths } from './qemu-args.js';
import { track } from './reaper.js';
import { machineDefaults, type Accel, type MachineSpec, type SerialPort } from './spec.js';

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Machine {
  spec: MachineSpec;
  accel: Accel;
  /** Why this accelerator and CPU model (kvm.ts accelerationFor). */
  accelerationReason: string;
  pid: number;
  /** com1 = guest console (ttyS0), com2 = hypervisor console. */
  consoles: Record<SerialPort, SerialConsole>;
  /** Milliseconds since QEMU was started (the origin of every console timestamp). */
  elapsedMs(): number;
  /** Wall-clock time (Date.now()) QEMU was started at: aligns other host-side samples with console times. */
  startedAtEpochMs: number;
  /** Sends a raw QMP command, e.g. ('query-status'). */
  qmp(command: string, args?: Record<string, unknown>): Promise<unknown>;
  /** Pulls the plug (QMP quit) and waits for QEMU to exit. */
  powerOff(): Promise<ExitStatus>;
  /**
   * Presses the ACPI power button; the guest decides whether and when to shut down (a Debian
   * without logind, like our stock image, ignores it: send "poweroff" on the console instead).
   */
  acpiShutdown(): Promise<void>;
  /** Hardware reset (QMP system_reset); refused when spec.noReboot is set. */
  reset(): Promise<void>;
  /** Resolves when QEMU exits, whatever the reason; logs are flushed by then. */
  exited: Promise<ExitStatus>;
  /** Stops QEMU for sure (SIGKILL if it does not quit within 5 s). Safe to call repeatedly. */
  kill(): Promise<ExitStatus>;
}

const connectTimeoutMs = 30_000;

/**
 * Starts a QEMU PC as described by `spec` and connects to its serial ports and QMP.
 * Files in spec.logDir: <name>.cmdline, <name>.qemu.log (QEMU's own stdout/stderr),
 * <name>.com1.log / .com2.log (raw), <name>.com1.timed.log / .com2.timed.log (timestamped).
 */
export async function startMachine(spec: MachineSpec): Promise<Machine> {
  const acceleration = resolveAcceleration(spec.accel, spec.cpuNeeds ?? 'plain', spec.cpu ?? machineDefaults.cpu);
  const accel = acceleration.accel;
  if ((spec.nics ?? []).some((n) => n.kind === 'tap') && spec.netns === undefined) {
    throw new Error(`machine "${spec.name}": tap NICs need spec.netns (create one with createNetns)`);
  }
  await mkdir(spec.logDir, { recursive: true });
  const socketDir = await mkdtemp(path.join(os.tmpdir(), 'tb-'));
  const args = buildQemuArgs({ ...spec, cpu: acceleration.cpu }, { socketDir, accel });
  const logBase = path.join(spec.logDir, spec.name);
  const modelledDisks = await serveModelledDisks(spec, socketDir, logBase);
  // setpriv makes the kernel SIGKILL QEMU if this Node process dies without cleaning up.
  const argv = [
    ...(spec.netns === undefined ? [] : ['ip', 'netns', 'exec', spec.netns]),
    ...(spec.cpuAffinity === undefined ? [] : ['taskset', '--cpu-list', spec.cpuAffinity]),
    'setpriv',
    '--pdeathsig',
    'SIGKILL',
    '--',
    qemuBinary,
    ...args,
  ];
  await writeFile(`${logBase}.cmdline`, `${argv.map((a) => quote(a)).join(' ')}\n`);

  const origin = performance.now();
  const startedAtEpochMs = Date.now();
  const elapsedMs = () => performance.now() - origin;
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) {
    await modelledDisks.stop();
    await rm(socketDir, { recursive: true, force: true });
    throw new Error(`could not start ${argv[0]} (is qemu-system-x86 installed? run artifact/bootstrap.sh)`);
  }
  const pid = child.pid;
  const untrack = track('pid', pid);
  const niceness = spec.niceness ?? machineDefaults.niceness;
  if (niceness !== 0) os.setPriority(pid, niceness);

  const qemuLog = createWriteStream(`${logBase}.qemu.log`);
  let qemuOutput = '';
  for (const stream of [child.stdout, child.stderr]) {
    stream.on('data', (data: Buffer) => {
      qemuLog.write(data);
      qemuOutput = (qemuOutput + data.toString()).slice(-4000);
    });
  }
  const consoles: Partial<Record<SerialPort, SerialConsole>> = {};
  const processExited = new Promise<ExitStatus>((resolve) =>
    child.on('exit', (code, signal) => {
      untrack();
      resolve({ code, signal });
    }),
  );
  const exited = processExited.then(async (status) => {
    await Promise.all(Object.values(consoles).map((c) => c.closeLogs()));
    await new Promise<void>((r) => qemuLog.end(r));
    await modelledDisks.stop();
    await rm(socketDir, { recursive: true, force: true });
    return status;
  });

  const kill = async (): Promise<ExitStatus> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await processExited;
      clearTimeout(timer);
    }
    return exited;
  };

  const sockets = socketPaths(socketDir);
  const stopped = () => child.exitCode !== null || child.signalCode !== null;
  let qmp: QmpClient;
  try {
    const gone = processExited.then((status) => {
      throw new Error(
        `QEMU for "${spec.name}" exited (${status.code ?? status.signal}) during start-up:\n${qemuOutput}\nsee ${logBase}.cmdline`,
      );
    });
    for (const port of ['com1', 'com2'] as const) {
      const socket = await Promise.race([connectWhenReady(sockets[port], stopped), gone]);
      consoles[port] = new SerialConsole(port, socket, elapsedMs, spec.logDir, spec.name);
    }
    qmp = await Promise.race([connectWhenReady(sockets.qmp, stopped).then((s) => QmpClient.connect(s)), gone]);
    failWaitsOnLastWords(consoles as Record<SerialPort, SerialConsole>);
  } catch (error) {
    await kill();
    throw error;
  }

  return {
    spec,
    accel,
    accelerationReason: acceleration.reason,
    pid,
    consoles: consoles as Record<SerialPort, SerialConsole>,
    elapsedMs,
    startedAtEpochMs,
    qmp: (command, args) => qmp.execute(command, args),
    powerOff: async () => {
      await qmp.execute('quit').catch(() => undefined);
      return kill();
    },
    acpiShutdown: async () => {
      await qmp.execute('system_powerdown');
    },
    reset: async () => {
      if (spec.noReboot ?? machineDefaults.noReboot)
        throw new Error(`machine "${spec.name}" has noReboot set: a reset would end QEMU`);
      await qmp.execute('system_reset');
    },
    exited,
    kill,
  };
}

/** Serves the spec's modelled disks (nbdkit, one each) before QEMU connects to them; stop() ends them and keeps nbdkit's output. */
async function serveModelledDisks(spec: MachineSpec, socketDir: string, logBase: string) {
  const served: { index: number; disk: ServedModelledDisk }[] = [];
  try {
    for (const [index, disk] of (spec.disks ?? []).entries())
      if (disk.kind === 'modelled')
        served.push({ index, disk: await serveModelledDisk(disk, modelledDiskSocket(socketDir, index)) });
  } catch (error) {
    await Promise.all(served.map(({ disk }) => disk.stop()));
    throw error;
  }
  return {
    stop: async () => {
      for (const { index, disk } of served.splice(0)) {
        await disk.stop();
        if (disk.output() !== '') await writeFile(`${logBase}.disk${index}.nbdkit.log`, disk.output());
      }
    },
  };
}

/** Connects to a unix socket QEMU is about to create; retries until it exists, QEMU stops, or time runs out. */
async function connectWhenReady(socketPath: string, stopped: () => boolean): Promise<net.Socket> {
  const deadline = performance.now() + connectTimeoutMs;
  for (;;) {
    try {
      return await new Promise<net.Socket>((resolve, reject) => {
        const socket = net.connect(socketPath);
        socket.once('connect', () => resolve(socket));
        socket.once('error', reject);
      });
    } catch (error) {
      if (stopped()) throw new Error(`QEMU stopped before ${socketPath} accepted`);
      if (performance.now() > deadline)
        throw new Error(`QEMU socket ${socketPath} did not accept within ${connectTimeoutMs} ms: ${String(error)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
