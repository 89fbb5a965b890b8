// SPDX-License-Identifier: MIT
import { open, readFile, unlink } from 'node:fs/promises';

/**
 * One builder per image at a time: a lock file holding the builder's pid. A second process waits
 * for the first to finish (then finds the image cached); a lock left by a dead process is removed.
 */
export async function withBuildLock<T>(
  lockFile: string,
  onWait: (holder: number) => void,
  body: () => Promise<T>,
): Promise<T> {
  for (let waitedMs = 0; ; waitedMs += 2_000) {
    try {
      const handle = await open(lockFile, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(await readFile(lockFile, 'utf8').catch(() => '0'));
      if (!isAlive(holder)) {
        await unlink(lockFile).catch(() => undefined);
        continue;
      }
      if (waitedMs % 60_000 === 0) onWait(holder);
      await new Promise((r) => setTimeout(r, 2_000));
    }
  }
  try {
    return await body();
  } finally {
    await unlink(lockFile).catch(() => undefined);
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
