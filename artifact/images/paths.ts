import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const imageCacheDir = path.join(repoRoot, '.cache/images');
/** .deb files shared by debootstrap (--cache-dir) and apt-get in the chroot, across builds. */
export const debCacheDir = path.join(repoRoot, '.cache/apt/debs');
export const guestPayloadDir = path.join(repoRoot, 'guest');
