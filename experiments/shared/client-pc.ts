import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RepetitionContext } from '../../artifact/core/experiment.js';
import { startMachine, type DiskSpec, type FwCfgFile, type Machine, type MachineSpec, type NicSpec } from '../../artifact/testbed/index.js';

/** Name of the emulated client PC; its logs are <name>.com1.log, <name>.com1.timed.log, ... in the raw folder. */
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
}

/**
 * What startClient records about each power-on: when QEMU started (Date.now() ms, to align
 * server-side samples with console times) and the SHA-256 of the hypervisor image it loaded.
 */
export const clientStartFile = `${clientName}.start.json`;

/** Powers on the client PC, logging into the repetition's raw folder; accel 'auto' uses KVM only where it works. */
export async function startClient(ctx: RepetitionContext, boot: ClientBoot, fwCfgFiles: FwCfgFile[] = []): Promise<Machine> {
  const kernelSha256 = boot.kernel === undefined ? null : createHash('sha256').update(await readFile(boot.kernel)).digest('hex');
  const machine = await startMachine({ name: clientName, logDir: ctx.rawDir, accel: 'auto', disks: boot.disk === undefined ? [] : [boot.disk], fwCfgFiles, ...boot });
  await writeFile(path.join(ctx.rawDir, clientStartFile), `${JSON.stringify({ epochMs: machine.startedAtEpochMs, kernel: boot.kernel ?? null, kernelSha256 })}\n`);
  ctx.log(`QEMU pid ${machine.pid}, accelerator ${machine.accel}`);
  return machine;
}
