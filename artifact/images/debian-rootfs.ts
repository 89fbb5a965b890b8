// SPDX-License-Identifier: MIT
import { mkdir, mkdtemp, rmdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CleanupStack } from './cleanup-stack.js';
import { runLogged } from './command-log.js';
import { finishRootfs, prepareChroot, type Progress, type RootfsFacts } from './image-chroot.js';
import { attachLoopDisk, mountOn } from './loop-disk.js';
import { debCacheDir } from './paths.js';
import type { DebianRecipe } from './recipe.js';
import { writeRootfsConfig } from './rootfs-config.js';

/**
 * Builds a bootable Debian into the raw image `imageFile` (created here): one bootable ext4
 * partition, debootstrap, kernel, GRUB on the MBR. Whatever happens, everything mounted or
 * attached is released before this returns or throws.
 */
export async function buildDebianRootfs(
  recipe: DebianRecipe,
  imageFile: string,
  logFile: string,
  progress: Progress,
): Promise<RootfsFacts> {
  const cleanup = new CleanupStack();
  try {
    progress('partitioning the raw image');
    await runLogged(logFile, ['truncate', '-s', String(recipe.sizeBytes), imageFile]);
    await runLogged(logFile, [
      'sh',
      '-c',
      `printf 'label: dos\\nstart=2048, type=83, bootable\\n' | sfdisk -q "$1"`,
      'sfdisk',
      imageFile,
    ]);
    const disk = await attachLoopDisk(imageFile, cleanup);
    await runLogged(logFile, ['mkfs.ext4', '-F', '-q', '-L', 'debian-root', disk.partition]);
    const rootUuid = (await runLogged(logFile, ['blkid', '-s', 'UUID', '-o', 'value', disk.partition])).trim();

    const root = await mkdtemp(path.join(os.tmpdir(), 'image-root-'));
    cleanup.push(`remove ${root}`, () => rmdir(root));
    await mountOn(disk.partition, root, cleanup);

    progress('debootstrap (downloads are cached in .cache/apt/debs)');
    await mkdir(path.join(debCacheDir, 'partial'), { recursive: true });
    await runLogged(logFile, [
      'nice',
      '-n',
      '10',
      'debootstrap',
      '--arch=amd64',
      `--include=${recipe.bootstrapPackages.join(',')}`,
      `--cache-dir=${debCacheDir}`,
      recipe.suite,
      root,
      recipe.mirror,
    ]);

    // debootstrap leaves its .debs in the image; the shared cache already has them.
    await runLogged(logFile, [
      'find',
      path.join(root, 'var/cache/apt/archives'),
      '-maxdepth',
      '1',
      '-name',
      '*.deb',
      '-delete',
    ]);

    progress('configuring serial console, fstab, GRUB defaults, initramfs modules');
    await writeRootfsConfig(root, recipe, rootUuid);

    progress(`installing ${recipe.chrootPackages.join(', ')} in the chroot`);
    const inChroot = await prepareChroot(root, disk, rootUuid, logFile, cleanup);
    await inChroot(['sh', '-c', 'echo "grub-pc grub-pc/install_devices_empty boolean true" | debconf-set-selections']);
    await inChroot(['apt-get', 'install', '-y', '--no-install-recommends', ...recipe.chrootPackages]);

    progress('installing GRUB to the MBR and writing grub.cfg');
    await inChroot(['grub-install', '--target=i386-pc', disk.device]);
    return await finishRootfs(root, rootUuid, inChroot, logFile);
  } finally {
    await cleanup.runAll();
  }
}
