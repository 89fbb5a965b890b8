import path from 'node:path';
import { hardwarePreconditionProblems, readHardwareDescription } from '../testbed/hardware-description.js';
import type { RunOptions } from './options.js';
import { paths } from './paths.js';

export const hardwareDescriptionFile = path.join(paths.testbeds, 'hardware.json');

/**
 * 'emulated' is the embedded QEMU testbed on this host. 'hardware' (real PCs, as in the paper's
 * Table 1): the description file is validated and the client checked against what the hypervisor
 * runs on, so that a user learns every problem before any PC is powered on. The driver that runs
 * the experiments on real PCs does not exist yet; after the checks this says so plainly.
 */
export function checkTestbed(testbed: RunOptions['testbed'], knownExperiments: readonly string[], hardwareFile = hardwareDescriptionFile): void {
  if (testbed === 'emulated') return;
  const description = readHardwareDescription(hardwareFile, knownExperiments);
  const problems = hardwarePreconditionProblems(description);
  if (problems.length > 0) throw new Error(`the client described in ${hardwareFile} cannot run our hypervisor:\n  - ${problems.join('\n  - ')}`);
  throw new Error(
    `${hardwareFile} describes a client our hypervisor can run on (testbed "${description.name}"), but the driver that runs ` +
      `experiments on real PCs is not written yet. Use --testbed emulated.`,
  );
}
