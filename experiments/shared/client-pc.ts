// SPDX-License-Identifier: MIT
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RepetitionContext } from '../../artifact/core/experiment.js';
import {
  startMachine,
  type DiskSpec,
  type FwCfgFile,
  type MachineSpec,
  type NicSpec,
  type SerialPort,
  type TimedMatch,
} from '../../artifact/testbed/index.js';
import { powerOnHardwareClient, type ClientPc } from '../../artifact/testbed/hardware/client.js';
import type { WireEnd } from '../../artifact/testbed/hardware/power.js';

/** Name of the client PC; its logs are <name>.com1.log, <name>.com1.timed.log, ... in the raw folder. */
export const clientName = 'client';

/** How the client PC boots: its IDE disk, the hypervisor loaded first (-kernel), and its network. */
export interface ClientBoot {
  /** The IDE disk; none for a client that boots a network disk through its firmware (iPXE sanboot). */
  disk?: DiskSpec;
  /** 'network': PXE from the first NIC's option ROM instead of loading `kernel` (see withPxeNetworkBoot). */
  bootFrom?: MachineSpec['bootFrom'];
  kernel?: string;
  /** The hypervisor's command line (e.g. "aoe=auto mtu=1500"). */
  append?: string;
  /** Network namespace and NICs, for configurations with an AoE server. */
  netns?: string;
  nics?: NicSpec[];
  /** Default 1024 MiB (machineDefaults). */
  memoryMiB?: number;
  /** What the PC runs, for the accelerator it gets (kvm.ts): 'svm' where it starts our hypervisor. Default 'plain'. */
  cpuNeeds?: MachineSpec['cpuNeeds'];
  /** Files for the guest's fw_cfg besides a benchmark job (e.g. the KVM host's configuration). */
  fwCfgFiles?: FwCfgFile[];
  /**
   * The serial port the benchmarked OS prints on: com1, or com2 where a host OS sits in between
   * (the KVM + NFS baseline: its nested guest's console is the host's ttyS1). Default com1.
   */
  guestConsole?: SerialPort;
  /**
   * A guest console silent this long before the login prompt means the boot stalled: the wait
   * ends with a ConsoleSilentError, and the session runner boots the configuration again once
   * (artifact/stages/experiments.ts). Unset: only the login timeout ends a silent boot.
   */
  stallSilenceMs?: number;
  /** Hardware testbed: the server's end of the client's wire (a Wake-on-LAN packet leaves there). */
  wire?: WireEnd;
  /**
   * Hardware testbed: puts files (a session's benchmark jobs) where the guest finds them without
   * fw_cfg (in the served image, before power-on). Absent on the emulated testbed, where they go
   * through fw_cfg.
   */
  handOver?: HandOver;
}

/** A host file the guest reads at `guestPath` (relative to its root file system). */
export interface HandedFile {
  source: string;
  guestPath: string;
}
export type HandOver = (files: readonly HandedFile[]) => Promise<void>;

/**
 * What startClient records about each power-on: when the client started (Date.now() ms, to align
 * server-side samples with console times), the SHA-256 of the hypervisor image QEMU loaded, and
 * which serial port carries the benchmarked OS's console.
 */
export const clientStartFile = `${clientName}.start.json`;

export interface ClientStart {
  epochMs: number;
  kernel: string | null;
  kernelSha256: string | null;
  /** Absent in runs made before it was recorded: com1. */
  guestConsole?: SerialPort;
  /** Hardware testbed: the description's name. */
  testbed?: string;
}

async function recordStart(ctx: RepetitionContext, start: ClientStart): Promise<void> {
  await writeFile(path.join(ctx.rawDir, clientStartFile), `${JSON.stringify(start)}\n`);
}

/** The serial port the benchmarked OS printed on in a repetition (see ClientBoot.guestConsole). */
export async function guestConsoleOf(rawDir: string): Promise<SerialPort> {
  const file = path.join(rawDir, clientStartFile);
  if (!existsSync(file)) return 'com1';
  return (JSON.parse(await readFile(file, 'utf8')) as ClientStart).guestConsole ?? 'com1';
}

/**
 * Powers on the client PC, logging into the repetition's raw folder. Emulated testbed: a QEMU PC
 * (accel 'auto' uses KVM only where it works). Hardware testbed: the described PC, which boots from
 * the network whatever `boot` says about disks and kernels.
 */
export async function startClient(
  ctx: RepetitionContext,
  boot: ClientBoot,
  fwCfgFiles: FwCfgFile[] = [],
): Promise<ClientPc> {
  if (ctx.testbed.kind === 'hardware') {
    if (boot.wire === undefined)
      throw new Error(
        `${ctx.configuration} has no network wire: on a hardware testbed the client boots from the network only`,
      );
    const client = await powerOnHardwareClient(ctx.testbed, {
      name: clientName,
      logDir: ctx.rawDir,
      wire: boot.wire,
      log: ctx.log,
    });
    await recordStart(ctx, {
      epochMs: client.startedAtEpochMs,
      kernel: null,
      kernelSha256: null,
      guestConsole: 'com1',
      testbed: ctx.testbed.description.name,
    });
    return client;
  }
  const kernelSha256 =
    boot.kernel === undefined
      ? null
      : createHash('sha256')
          .update(await readFile(boot.kernel))
          .digest('hex');
  const {
    wire: _wire,
    handOver: _handOver,
    guestConsole = 'com1',
    disk,
    fwCfgFiles: bootFiles = [],
    ...machineBoot
  } = boot;
  const machine = await startMachine({
    name: clientName,
    logDir: ctx.rawDir,
    accel: 'auto',
    disks: disk === undefined ? [] : [disk],
    fwCfgFiles: [...bootFiles, ...fwCfgFiles],
    ...(ctx.lane === undefined ? {} : { cpuAffinity: ctx.lane.cpus }),
    ...machineBoot,
  });
  await recordStart(ctx, {
    epochMs: machine.startedAtEpochMs,
    kernel: boot.kernel ?? null,
    kernelSha256,
    guestConsole,
  });
  ctx.log(
    `QEMU pid ${machine.pid}, ${machine.accelerationReason}${ctx.lane === undefined ? '' : `, lane ${ctx.lane.index} on CPUs ${ctx.lane.cpus}`}`,
  );
  return machine;
}

/**
 * Waits for a complete line matching `pattern` on the guest's console (`port`), or with
 * `scope: 'prompt'` for a prompt that waits for input (SerialConsole.waitForPrompt); a real PC
 * that stays silent fails early, saying what to check.
 */
export function waitForConsole(
  client: ClientPc,
  pattern: RegExp,
  timeoutMs: number,
  port: SerialPort = 'com1',
  scope: 'line' | 'prompt' = 'line',
): Promise<TimedMatch> {
  const console = client.consoles[port];
  if (console === undefined)
    throw new Error(`the client has no ${port} console (hardware testbed: client.hypervisorConsole)`);
  const waiting = scope === 'prompt' ? console.waitForPrompt(pattern, timeoutMs) : console.waitFor(pattern, timeoutMs);
  if (client.silence === undefined) return waiting;
  waiting.catch(() => undefined);
  return Promise.race([waiting, client.silence]);
}
