import { existsSync } from 'node:fs';
import path from 'node:path';
import type { RunOptions } from './options.js';
import { paths } from './paths.js';

export const hardwareDescriptionFile = path.join(paths.testbeds, 'hardware.json');

/**
 * 'emulated' is the embedded QEMU testbed on this host. 'hardware' (two real PCs on a switch, as
 * in the paper's Table 1) is documented in README.md but has no driver yet: this says so plainly.
 */
export function checkTestbed(testbed: RunOptions['testbed']): void {
  if (testbed === 'emulated') return;
  if (!existsSync(hardwareDescriptionFile)) {
    throw new Error(
      `hardware testbed not configured: ${hardwareDescriptionFile} does not exist. ` +
        `Describe the client and server PCs there (see README.md, "Hardware testbed"), or use --testbed emulated.`,
    );
  }
  throw new Error(
    `hardware testbed described in ${hardwareDescriptionFile}, but this artifact has no driver for real PCs yet ` +
      `(network-booting the hypervisor with iPXE and running the guest jobs over SSH). Use --testbed emulated.`,
  );
}
