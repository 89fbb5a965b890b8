import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const imageCacheDir = path.join(repoRoot, '.cache/images');
/** .deb files shared by debootstrap (--cache-dir) and apt-get in the chroot, across builds. */
export const debCacheDir = path.join(repoRoot, '.cache/apt/debs');
export const guestPayloadDir = path.join(repoRoot, 'guest');

/**
 * stock: what the paper boots (a plain Debian install; nothing that helps network boot).
 * aoe: stock plus aoetools, for the iPXE `sanboot` alternative where the OS itself speaks AoE
 * (its initramfs then waits for the network, so it is never the default).
 */
export type DebianVariant = 'stock' | 'aoe';

export interface DebianRecipe {
  variant: DebianVariant;
  suite: 'bookworm';
  mirror: string;
  sizeBytes: number;
  /** Installed by debootstrap (default variant: required + important priorities). */
  bootstrapPackages: string[];
  /** Installed afterwards in the chroot, once /dev, /proc, /sys and the boot config exist. */
  chrootPackages: string[];
  /** Appended to Debian's default "quiet". */
  kernelCmdline: string;
  grubTimeoutSeconds: number;
}

export function debianRecipe(variant: DebianVariant): DebianRecipe {
  return {
    variant,
    suite: 'bookworm',
    mirror: 'http://deb.debian.org/debian',
    sizeBytes: 4 * 2 ** 30,
    // fio: disk benchmark; python3: the benchmark runner; flac: the audio-encoding app test.
    bootstrapPackages: ['systemd-sysv', 'fio', 'python3', 'flac'],
    chrootPackages: ['linux-image-amd64', 'grub-pc', ...(variant === 'aoe' ? ['aoetools'] : [])],
    kernelCmdline: 'console=tty0 console=ttyS0,115200n8',
    grubTimeoutSeconds: 2,
  };
}

/** Builder sources that decide what lands in the image; editing one of them rebuilds. */
const rootfsSources = ['recipe.ts', 'debian-rootfs.ts', 'rootfs-config.ts'];
const payloadSources = ['guest-payload.ts'];

/** Hash of everything the root file system is made from: the recipe and its builder code. */
export async function rootfsHash(recipe: DebianRecipe): Promise<string> {
  const hash = createHash('sha256').update(JSON.stringify(recipe));
  await hashFiles(hash, path.join(repoRoot, 'artifact/images'), (f) => rootfsSources.includes(path.basename(f)));
  return hash.digest('hex').slice(0, 16);
}

/** Hash of the final image: the root file system plus the guest payload installed into it. */
export async function imageHash(recipe: DebianRecipe): Promise<string> {
  const hash = createHash('sha256').update(await rootfsHash(recipe));
  await hashFiles(hash, path.join(repoRoot, 'artifact/images'), (f) => payloadSources.includes(path.basename(f)));
  await hashFiles(hash, guestPayloadDir, () => true);
  return hash.digest('hex').slice(0, 16);
}

async function hashFiles(hash: ReturnType<typeof createHash>, dir: string, wanted: (file: string) => boolean): Promise<void> {
  const entries = (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .filter(wanted)
    .sort();
  for (const file of entries) {
    hash.update(path.relative(repoRoot, file)).update('\0').update(await readFile(file)).update('\0');
  }
}
