import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { guestPayloadDir, repoRoot } from './paths.js';
import type { DebianRecipe } from './recipe.js';

/** Builder sources that decide what lands in the image; editing one of them rebuilds. */
const rootfsSources = ['recipe.ts', 'debian-rootfs.ts', 'rootfs-config.ts', 'aoe-root-initramfs.ts'];
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
