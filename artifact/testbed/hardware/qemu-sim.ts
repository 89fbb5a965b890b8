// SPDX-License-Identifier: MIT
// qemu-sim: the hardware testbed's driver run against a QEMU PC (data/testbeds/qemu-sim.json), so
// that the path real PCs take (the server's NIC claimed into the run's namespace, boot services and
// vblade on it, the client PXE-booting, jobs written into the served image) runs in CI.
import { $ } from 'zx';
import type { HardwareDescription } from '../hardware-description.js';
import { startMachine, type Machine } from '../machine.js';
import { createNetns, type Netns } from '../netns.js';
import type { NicModel } from '../spec.js';

/**
 * The simulated wire: a namespace with a bridge joining the simulated PC's tap and one end of a
 * veth pair. The other end, named as the description's server.interface, sits in the host's
 * namespace like a physical NIC, and the pipeline claims it as it would a real one.
 */
export interface QemuSimLab {
  netns: string;
  /** The simulated PC's tap in the lab's namespace. */
  tap: string;
  destroy(): Promise<void>;
}

const simTap = 'simpc0';
const bridge = 'simbr0';
const labEnd = 'simwire0';
/** The simulated PC's own IDE disk (zeros): larger than the served image, as on a real PC. */
const simulatedLocalDiskBytes = 8 * 1024 ** 3;

/** The QEMU NIC model with the described PCI id (the e1000 family the hypervisor drives). */
const nicModels: Record<string, NicModel> = {
  '8086:100e': 'e1000',
  '8086:100f': 'e1000-82545em',
  '8086:10d3': 'e1000e',
};

export async function openQemuSimLab(description: HardwareDescription): Promise<QemuSimLab> {
  const { interface: serverEnd, mtu } = description.server;
  if ((await $`ip link show dev ${serverEnd}`.quiet().nothrow()).exitCode === 0) {
    throw new Error(
      `qemu-sim: this host already has an interface named ${serverEnd}; give server.interface a free name`,
    );
  }
  const lab: Netns = await createNetns(`qemusim-${process.pid}`, { taps: [simTap], mtu });
  try {
    await lab.run(['ip', 'link', 'add', bridge, 'mtu', String(mtu), 'type', 'bridge']);
    await lab.run(['ip', 'link', 'set', bridge, 'up']);
    await $`ip link add ${serverEnd} mtu ${mtu} type veth peer name ${labEnd} netns ${lab.name}`.quiet();
    for (const port of [simTap, labEnd]) await lab.run(['ip', 'link', 'set', port, 'master', bridge, 'up']);
  } catch (error) {
    await lab.destroy();
    throw error;
  }
  // Deleting the lab's namespace deletes the veth pair, wherever its other end is.
  return { netns: lab.name, tap: simTap, destroy: () => lab.destroy() };
}

/**
 * Powers on the simulated PC through its monitor: QEMU starts stopped (-S), with a disk at POST and
 * no kernel, and QMP `cont` switches it on; it then PXE-boots from its NIC like the real client.
 * Its serial ports are its consoles (COM1 the guest's, COM2 the hypervisor's); powerOff is QMP quit.
 */
export async function powerOnSimulatedPc(
  lab: QemuSimLab,
  description: HardwareDescription,
  name: string,
  logDir: string,
): Promise<Machine> {
  const model = nicModels[description.client.nic.pciId];
  if (model === undefined)
    throw new Error(
      `qemu-sim: no QEMU NIC model has PCI id ${description.client.nic.pciId} (known: ${Object.keys(nicModels).join(', ')})`,
    );
  const machine = await startMachine({
    name,
    logDir,
    accel: 'auto',
    bootFrom: 'network',
    disks: [{ kind: 'placeholder', sizeBytes: simulatedLocalDiskBytes }],
    nics: [{ kind: 'tap', tap: lab.tap, mac: description.client.mac, model }],
    netns: lab.netns,
    extraArgs: ['-S'],
  });
  try {
    await machine.qmp('cont');
  } catch (error) {
    await machine.kill();
    throw error;
  }
  return machine;
}
