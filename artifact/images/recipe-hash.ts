// SPDX-License-Identifier: MIT
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { debianInstallerFiles, guestPayloadDir, repoRoot } from './paths.js';
import type { DebianInstaller, DebianRecipe } from './recipe.js';

/** Builder sources that decide what lands in the image; editing one of them rebuilds. */
const sharedRootfsSources = ['recipe.ts', 'image-chroot.ts', 'rootfs-config.ts', 'aoe-root-initramfs.ts'];
const installerSources: Record<DebianInstaller, string[]> = {
  debootstrap: ['debian-rootfs.ts'],
  'debian-installer': ['debian-installer.ts', 'debian-installer-preseed.ts', 'cpio-newc.ts'],
};
const payloadSources = ['guest-payload.ts'];

/**
 * Hash of everything the root file system is made from: the recipe, its builder code and, for
 * the installer path, the installer's kernel and initrd (a new debian-installer package rebuilds).
 */
export async function rootfsHash(recipe: DebianRecipe): Promise<string> {
  const hash = createHash('sha256').update(JSON.stringify(recipe));
  const sources = [...sharedRootfsSources, ...installerSources[recipe.installer]];
  await hashFiles(hash, path.join(repoRoot, 'artifact/images'), (f) => sources.includes(path.basename(f)));
  if (recipe.installer === 'debian-installer' && existsSync(debianInstallerFiles.dir)) {
    await hashFiles(hash, debianInstallerFiles.dir, (f) => ['linux', 'initrd.gz'].includes(path.basename(f)));
  }
  return hash.digest('hex').slice(0, 16);
}

/** Hash of the final image: the root file system plus the guest payload installed into it. */
export async function imageHash(recipe: DebianRecipe): Promise<string> {
  const hash = createHash('sha256').update(await rootfsHash(recipe));
  await hashFiles(hash, path.join(repoRoot, 'artifact/images'), (f) => payloadSources.includes(path.basename(f)));
  await hashFiles(hash, guestPayloadDir, () => true);
  return hash.digest('hex').slice(0, 16);
}

/** Feeds the files below `dir` that `wanted` picks, in name order and with their paths, into `hash`. */
export async function hashFiles(
  hash: ReturnType<typeof createHash>,
  dir: string,
  wanted: (file: string) => boolean,
): Promise<void> {
  const entries = (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .filter(wanted)
    .sort();
  for (const file of entries) {
    hash
      .update(path.relative(repoRoot, file))
      .update('\0')
      .update(await readFile(file))
      .update('\0');
  }
}
