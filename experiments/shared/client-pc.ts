import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RepetitionContext } from '../../artifact/core/experiment.js';
import { startMachine, type DiskSpec, type FwCfgFile, type MachineSpec, type NicSpec, type TimedMatch } from '../../artifact/testbed/index.js';
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
  /** Hardware testbed: the server's end of the client's wire (a Wake-on-LAN packet leaves there). */
  wire?: WireEnd;
  /**
   * Hardware testbed: puts a benchmark job where the guest finds it without fw_cfg (in the served
   * image, before power-on). Absent on the emulated testbed, where the job goes through fw_cfg.
   */
  handOverJob?: (jobFile: string) => Promise<void>;
}

/**
 * What startClient records about each power-on: when the client started (Date.now() ms, to align
 * server-side samples with console times) and the SHA-256 of the hypervisor image QEMU loaded.
 */
export const clientStartFile = `${clientName}.start.json`;

/**
 * Powers on the client PC, logging into the repetition's raw folder. Emulated testbed: a QEMU PC
 * (accel 'auto' uses KVM only where it works). Hardware testbed: the described PC, which boots from
 * the network whatever `boot` says about disks and kernels.
 */
export async function startClient(ctx: RepetitionContext, boot: ClientBoot, fwCfgFiles: FwCfgFile[] = []): Promise<ClientPc> {
  if (ctx.testbed.kind === 'hardware') {
    if (boot.wire === undefined) throw new Error(`${ctx.configuration} has no network wire: on a hardware testbed the client boots from the network only`);
    const client = await powerOnHardwareClient(ctx.testbed, { name: clientName, logDir: ctx.rawDir, wire: boot.wire, log: ctx.log });
    await writeFile(path.join(ctx.rawDir, clientStartFile), `${JSON.stringify({ epochMs: client.startedAtEpochMs, kernel: null, kernelSha256: null, testbed: ctx.testbed.description.name })}\n`);
    return client;
  }
  const kernelSha256 = boot.kernel === undefined ? null : createHash('sha256').update(await readFile(boot.kernel)).digest('hex');
  const { wire: _wire, handOverJob: _handOverJob, ...machineBoot } = boot;
  const machine = await startMachine({ name: clientName, logDir: ctx.rawDir, accel: 'auto', disks: boot.disk === undefined ? [] : [boot.disk], fwCfgFiles, ...machineBoot });
  await writeFile(path.join(ctx.rawDir, clientStartFile), `${JSON.stringify({ epochMs: machine.startedAtEpochMs, kernel: boot.kernel ?? null, kernelSha256 })}\n`);
  ctx.log(`QEMU pid ${machine.pid}, accelerator ${machine.accel}`);
  return machine;
}

/** Waits for `pattern` on the guest's console; a real PC that stays silent fails early, saying what to check. */
export function waitForConsole(client: ClientPc, pattern: RegExp, timeoutMs: number): Promise<TimedMatch> {
  const waiting = client.consoles.com1.waitFor(pattern, timeoutMs);
  if (client.silence === undefined) return waiting;
  waiting.catch(() => undefined);
  return Promise.race([waiting, client.silence]);
}
