// SPDX-License-Identifier: MIT
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../core/paths.js';

const execFileAsync = promisify(execFile);

/** The components `make` builds: the hypervisor and the patched vblade + aoe-probe. */
export const buildComponents = ['vmm', 'server'] as const;

/** Runs `make -C <component>`; its output goes to the step log. A component without a Makefile is skipped. */
export async function buildComponent(
  component: (typeof buildComponents)[number],
  log: (line: string) => void,
): Promise<'built' | 'no makefile'> {
  const directory = path.join(repoRoot, component);
  if (!existsSync(path.join(directory, 'Makefile'))) return 'no makefile';
  try {
    const { stdout, stderr } = await execFileAsync('make', ['-C', directory], { maxBuffer: 64 * 2 ** 20 });
    log(stdout + stderr);
    return 'built';
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    log(stdout + stderr);
    throw new Error(
      `make -C ${component} failed (see the build log in the run folder):\n${stderr.split('\n').slice(-15).join('\n')}`,
    );
  }
}
