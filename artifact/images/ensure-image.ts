// SPDX-License-Identifier: MIT
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { withBuildLock } from './build-lock.js';
import { CleanupStack } from './cleanup-stack.js';
import { runLogged } from './command-log.js';
import { buildDebianRootfs } from './debian-rootfs.js';
import { installWithDebianInstaller } from './debian-installer.js';
import type { InstalledPackage, Progress, RootfsFacts } from './image-chroot.js';
import { installGuestPayload } from './guest-payload.js';
import { attachLoopDisk, mountOn } from './loop-disk.js';
import { imageCacheDir } from './paths.js';
import { debianRecipe, imageName, type DebianInstaller, type DebianRecipe, type DebianVariant } from './recipe.js';
import { imageHash, rootfsHash } from './recipe-hash.js';

export interface ImageManifest {
  name: string;
  variant: DebianVariant;
  recipe: DebianRecipe;
  rootfsHash: string;
  imageHash: string;
  kernelVersion: string;
  rootUuid: string;
  sizeBytes: number;
  /** Seconds spent building the root file system (0 when it came from the cache) and the payload. */
  rootfsBuildSeconds: number;
  payloadSeconds: number;
  builtAt: string;
  /** `dpkg -l` of the image: the mirror moves, so this is what the run actually used. */
  packages: InstalledPackage[];
}

export interface ImageInfo {
  /** Raw image; treat as read-only and boot overlays of it (imageOverlay). */
  path: string;
  manifestPath: string;
  manifest: ImageManifest;
}

export interface EnsureImageOptions {
  variant?: DebianVariant;
  /** Default debootstrap; 'debian-installer' runs Debian's installer in QEMU (recipe.ts). */
  installer?: DebianInstaller;
  cacheDir?: string;
  /** Debian mirror (default deb.debian.org); part of the recipe, so another mirror means another image. */
  mirror?: string;
  onProgress?: Progress;
}

/**
 * Returns the cached Debian image for the current recipe and guest payload, building it first if
 * needed (needs root: loop devices, mount, chroot). Two cached layers: the root file system
 * (recipe hash; minutes to build) and the final image = that plus guest/ (seconds), so editing the
 * guest payload does not re-run debootstrap. Files appear under their final names only when
 * complete; a failed build leaves nothing half-made behind.
 */
export async function ensureDebianImage(options: EnsureImageOptions = {}): Promise<ImageInfo> {
  const variant = options.variant ?? 'stock';
  const cacheDir = options.cacheDir ?? imageCacheDir;
  const progress = options.onProgress ?? (() => undefined);
  const recipe = debianRecipe(variant, { mirror: options.mirror, installer: options.installer });
  const name = imageName(recipe);
  const finalHash = await imageHash(recipe);
  const finalPath = path.join(cacheDir, `${name}-${finalHash}.img`);
  const manifestPath = `${finalPath.slice(0, -4)}.json`;
  const cached = async (): Promise<ImageInfo | undefined> =>
    existsSync(finalPath) && existsSync(manifestPath)
      ? { path: finalPath, manifestPath, manifest: JSON.parse(await readFile(manifestPath, 'utf8')) as ImageManifest }
      : undefined;

  const hit = await cached();
  if (hit) return hit;
  if (process.getuid?.() !== 0) {
    throw new Error(
      `building the Debian image ${finalPath} needs root (loop devices, mount, chroot): run the pipeline as root`,
    );
  }
  await mkdir(cacheDir, { recursive: true });
  return withBuildLock(
    path.join(cacheDir, `${name}.lock`),
    (pid) => progress(`waiting for process ${pid}, which is building ${name}`),
    async () => {
      const builtMeanwhile = await cached();
      if (builtMeanwhile) return builtMeanwhile;
      const baseHash = await rootfsHash(recipe);
      const rootfs = await ensureRootfs(recipe, path.join(cacheDir, `${name}-rootfs-${baseHash}.img`), progress);
      await pruneSupersededRootfs(cacheDir, name, baseHash);

      progress('installing the guest payload into a copy of the root file system');
      const payloadStart = performance.now();
      const partial = `${finalPath}.partial-${process.pid}`;
      try {
        await runLogged(rootfs.logFile, ['cp', '--sparse=always', rootfs.path, partial]);
        await withMountedRoot(partial, (root) => installGuestPayload(root, recipe));
        const manifest: ImageManifest = {
          name,
          variant,
          recipe,
          rootfsHash: baseHash,
          imageHash: finalHash,
          kernelVersion: rootfs.facts.kernelVersion,
          rootUuid: rootfs.facts.rootUuid,
          sizeBytes: (await stat(partial)).size,
          rootfsBuildSeconds: rootfs.buildSeconds,
          payloadSeconds: (performance.now() - payloadStart) / 1000,
          builtAt: new Date().toISOString(),
          packages: rootfs.facts.packages,
        };
        await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
        await rename(partial, finalPath);
        return { path: finalPath, manifestPath, manifest };
      } catch (error) {
        await rm(partial, { force: true });
        throw error;
      }
    },
  );
}

interface Rootfs {
  path: string;
  logFile: string;
  facts: RootfsFacts;
  buildSeconds: number;
}

async function ensureRootfs(recipe: DebianRecipe, rootfsPath: string, progress: Progress): Promise<Rootfs> {
  const factsPath = `${rootfsPath.slice(0, -4)}.json`;
  const logFile = `${rootfsPath.slice(0, -4)}.build.log`;
  if (existsSync(rootfsPath) && existsSync(factsPath)) {
    return {
      path: rootfsPath,
      logFile,
      facts: JSON.parse(await readFile(factsPath, 'utf8')) as RootfsFacts,
      buildSeconds: 0,
    };
  }
  const partial = `${rootfsPath}.partial-${process.pid}`;
  const start = performance.now();
  await writeFile(logFile, `build of ${path.basename(rootfsPath)} started ${new Date().toISOString()}\n`);
  try {
    const build = recipe.installer === 'debian-installer' ? installWithDebianInstaller : buildDebianRootfs;
    const facts = await build(recipe, partial, logFile, progress);
    await writeFile(factsPath, `${JSON.stringify(facts)}\n`);
    await rename(partial, rootfsPath);
    return { path: rootfsPath, logFile, facts, buildSeconds: (performance.now() - start) / 1000 };
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

/**
 * Root file system layers are internal to the builder: once a new one exists, older ones
 * (other recipe hashes) only take disk space. Final images are kept: a run may still use one.
 */
async function pruneSupersededRootfs(cacheDir: string, name: string, currentHash: string): Promise<void> {
  const layer = new RegExp(`^${name}-rootfs-([0-9a-f]{16})\\.(img|json|build\\.log|installer)$`);
  for (const file of await readdir(cacheDir)) {
    const match = layer.exec(file);
    if (match !== null && match[1] !== currentHash)
      await rm(path.join(cacheDir, file), { recursive: true, force: true });
  }
}

/** Mounts partition 1 of a raw image, runs `body` on the mounted root, and releases everything. */
export async function withMountedRoot<T>(image: string, body: (root: string) => Promise<T>): Promise<T> {
  const cleanup = new CleanupStack();
  try {
    const disk = await attachLoopDisk(image, cleanup);
    const root = await mkdtemp(path.join(os.tmpdir(), 'image-root-'));
    cleanup.push(`remove ${root}`, () => rmdir(root));
    await mountOn(disk.partition, root, cleanup);
    return await body(root);
  } finally {
    await cleanup.runAll();
  }
}
