// SPDX-License-Identifier: MIT
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { onTestFinished } from 'vitest';

/**
 * A scratch NETBOOT_OUTPUT_DIR for one end-to-end test: removed when the test passes, kept (and
 * its path printed) when it fails, since its run folder's logs are what explains the failure.
 */
export async function scratchOutputDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `${prefix}-`));
  onTestFinished(async ({ task }) => {
    if (task.result?.state === 'pass') await rm(dir, { recursive: true, force: true });
    else console.log(`kept the run output of the failed test: ${dir}`);
  });
  return dir;
}
