// SPDX-License-Identifier: MIT
import path from 'node:path';
import {
  hardwareAccessProblems,
  hardwarePreconditionProblems,
  isQemuSim,
  readHardwareDescription,
  type HardwareDescription,
} from '../testbed/hardware-description.js';
import { openQemuSimLab } from '../testbed/hardware/qemu-sim.js';
import type { ClientTestbed } from './experiment.js';
import type { RunOptions } from './options.js';
import { paths } from './paths.js';

export const hardwareDescriptionFile = path.join(paths.testbeds, 'hardware.json');

/**
 * 'emulated' is the embedded QEMU testbed on this host. 'hardware' (real PCs, as in the paper's
 * Table 1): the description file is validated and the client checked against what the hypervisor
 * runs on and what this host needs to reach it (console, power, interface), so that a user learns
 * every problem before any PC is powered on. Returns the description.
 */
export function checkTestbed(
  testbed: RunOptions['testbed'],
  knownExperiments: readonly string[],
  hardwareFile = hardwareDescriptionFile,
): HardwareDescription | undefined {
  if (testbed === 'emulated') return undefined;
  const description = readHardwareDescription(hardwareFile, knownExperiments);
  const problems = hardwarePreconditionProblems(description);
  if (problems.length > 0)
    throw new Error(
      `the client described in ${hardwareFile} cannot run our hypervisor:\n  - ${problems.join('\n  - ')}`,
    );
  const unreachable = hardwareAccessProblems(description);
  if (unreachable.length > 0)
    throw new Error(
      `this host cannot reach the client described in ${hardwareFile}:\n  - ${unreachable.join('\n  - ')}`,
    );
  return description;
}

/** The run's client testbed; for qemu-sim the simulated wire is set up here and taken down by close(). */
export async function openTestbed(
  description: HardwareDescription | undefined,
): Promise<{ testbed: ClientTestbed; close: () => Promise<void> }> {
  if (description === undefined) return { testbed: { kind: 'emulated' }, close: async () => undefined };
  if (!isQemuSim(description)) return { testbed: { kind: 'hardware', description }, close: async () => undefined };
  const simulator = await openQemuSimLab(description);
  return { testbed: { kind: 'hardware', description, simulator }, close: () => simulator.destroy() };
}
