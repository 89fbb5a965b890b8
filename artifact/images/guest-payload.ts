// SPDX-License-Identifier: MIT
import { randomFillSync } from 'node:crypto';
import { chmod, copyFile, mkdir, open, readdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { guestPayloadDir } from './paths.js';
import type { DebianRecipe } from './recipe.js';
import { fioPresets } from './guest-job.js';

/** Where the payload lives in the image; the unit file refers to these paths. */
export const guestInstall = {
  libDir: 'usr/local/lib/netboot-bench',
  /** fio's test file (guest/netboot-bench/fio_tests.py: DEFAULT_DIRECTORY), laid out once per image. */
  fioTestFile: 'var/lib/netboot-bench/fio/fio-test.dat',
  unit: 'etc/systemd/system/netboot-bench.service',
  wants: 'etc/systemd/system/multi-user.target.wants/netboot-bench.service',
  kvmHostDir: 'usr/local/lib/kvm-host',
  kvmHostUnit: 'etc/systemd/system/kvm-host.service',
  kvmHostWants: 'etc/systemd/system/multi-user.target.wants/kvm-host.service',
} as const;

/**
 * Copies guest/ into a mounted root: the systemd unit (enabled) and the runner with its modules,
 * and lays out fio's test file at the full CrystalDiskMark size, so that no boot writes it again
 * (full-size Fig. 5 spent about 14 of 43 minutes writing it). The unit does nothing unless the
 * pipeline hands the guest a job (see job.ts). The kvm-host variant gets the baseline's launcher
 * instead: it is not the benchmarked OS but the host that runs it, and the job it is handed is
 * for its guest.
 */
export async function installGuestPayload(root: string, recipe: DebianRecipe): Promise<void> {
  if (recipe.kvmHost) return installKvmHostLauncher(root);
  await copyFile(path.join(guestPayloadDir, 'netboot-bench.service'), path.join(root, guestInstall.unit));
  await symlink('/etc/systemd/system/netboot-bench.service', path.join(root, guestInstall.wants));
  const libDir = path.join(root, guestInstall.libDir);
  await mkdir(libDir, { recursive: true });
  for (const file of await readdir(path.join(guestPayloadDir, 'netboot-bench'))) {
    await copyFile(path.join(guestPayloadDir, 'netboot-bench', file), path.join(libDir, file));
    await chmod(path.join(libDir, file), 0o644);
  }
  await writeIncompressible(path.join(root, guestInstall.fioTestFile), fioPresets.full.sizeMiB);
}

/** `mebibytes` MiB of random bytes: incompressible, and real blocks (no holes), as CrystalDiskMark's test file. */
async function writeIncompressible(file: string, mebibytes: number): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const handle = await open(file, 'w');
  try {
    const chunk = Buffer.alloc(1024 * 1024);
    for (let written = 0; written < mebibytes; written++) await handle.write(randomFillSync(chunk));
  } finally {
    await handle.close();
  }
}

/** The kvm-host variant's launcher (guest/kvm-host/): a unit, enabled, and its script. */
async function installKvmHostLauncher(root: string): Promise<void> {
  await copyFile(path.join(guestPayloadDir, 'kvm-host', 'kvm-host.service'), path.join(root, guestInstall.kvmHostUnit));
  await symlink('/etc/systemd/system/kvm-host.service', path.join(root, guestInstall.kvmHostWants));
  await mkdir(path.join(root, guestInstall.kvmHostDir), { recursive: true });
  await copyFile(
    path.join(guestPayloadDir, 'kvm-host', 'launch.py'),
    path.join(root, guestInstall.kvmHostDir, 'launch.py'),
  );
}
