import type { RepetitionContext } from '../../artifact/core/experiment.js';
import { startMachine, type DiskSpec, type FwCfgFile, type Machine, type NicSpec } from '../../artifact/testbed/index.js';

/** Name of the emulated client PC; its logs are <name>.com1.log, <name>.com1.timed.log, ... in the raw folder. */
export const clientName = 'client';

/** How the client PC boots: its IDE disk, the hypervisor loaded first (-kernel), and its network. */
export interface ClientBoot {
  disk: DiskSpec;
  kernel?: string;
  /** The hypervisor's command line (e.g. "aoe=auto mtu=1500"). */
  append?: string;
  /** Network namespace and NICs, for configurations with an AoE server. */
  netns?: string;
  nics?: NicSpec[];
}

/** Powers on the client PC, logging into the repetition's raw folder; accel 'auto' uses KVM only where it works. */
export async function startClient(ctx: RepetitionContext, boot: ClientBoot, fwCfgFiles: FwCfgFile[] = []): Promise<Machine> {
  const machine = await startMachine({ name: clientName, logDir: ctx.rawDir, accel: 'auto', disks: [boot.disk], fwCfgFiles, ...boot });
  ctx.log(`QEMU pid ${machine.pid}, accelerator ${machine.accel}`);
  return machine;
}
