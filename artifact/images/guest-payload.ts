import { chmod, copyFile, mkdir, readdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { guestPayloadDir } from './paths.js';

/** Where the payload lives in the image; the unit file refers to these paths. */
export const guestInstall = {
  libDir: 'usr/local/lib/netboot-bench',
  unit: 'etc/systemd/system/netboot-bench.service',
  wants: 'etc/systemd/system/multi-user.target.wants/netboot-bench.service',
} as const;

/**
 * Copies guest/ into a mounted root: the systemd unit (enabled) and the runner with its modules.
 * The unit does nothing unless the pipeline hands the guest a job (see job.ts).
 */
export async function installGuestPayload(root: string): Promise<void> {
  await copyFile(path.join(guestPayloadDir, 'netboot-bench.service'), path.join(root, guestInstall.unit));
  await symlink('/etc/systemd/system/netboot-bench.service', path.join(root, guestInstall.wants));
  const libDir = path.join(root, guestInstall.libDir);
  await mkdir(libDir, { recursive: true });
  for (const file of await readdir(path.join(guestPayloadDir, 'netboot-bench'))) {
    await copyFile(path.join(guestPayloadDir, 'netboot-bench', file), path.join(libDir, file));
    await chmod(path.join(libDir, file), 0o644);
  }
}
