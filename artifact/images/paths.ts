// SPDX-License-Identifier: MIT
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const imageCacheDir = path.join(repoRoot, '.cache/images');
/** .deb files shared by debootstrap (--cache-dir) and apt-get in the chroot, across builds. */
export const debCacheDir = path.join(repoRoot, '.cache/apt/debs');
export const guestPayloadDir = path.join(repoRoot, 'guest');
/** The Debian installer's netboot kernel and initrd (text frontend), from the package named. */
export const debianInstallerFiles = {
  dir: '/usr/lib/debian-installer/images/12/amd64/text/debian-installer/amd64',
  package: 'debian-installer-12-netboot-amd64',
} as const;
