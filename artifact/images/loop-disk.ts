// SPDX-License-Identifier: MIT
import { existsSync } from 'node:fs';
import { $ } from 'zx';
import type { CleanupStack } from './cleanup-stack.js';

/** A raw image file attached to a loop device, with its first partition's device node. */
export interface LoopDisk {
  device: string;
  partition: string;
}

/**
 * Attaches an image with partition scanning. This kernel creates no loopNp1 node by itself
 * (no udev), so partx adds the partition; detaching is registered on the cleanup stack.
 */
export async function attachLoopDisk(image: string, cleanup: CleanupStack): Promise<LoopDisk> {
  const device = (await $`losetup -f --show -P ${image}`.quiet()).stdout.trim();
  cleanup.push(`detach ${device}`, () => $`losetup -d ${device}`.quiet());
  const partition = `${device}p1`;
  if (!existsSync(partition)) await $`partx -a ${device}`.quiet().nothrow();
  for (let i = 0; i < 50 && !existsSync(partition); i++) await new Promise((r) => setTimeout(r, 100));
  if (!existsSync(partition))
    throw new Error(`partition node ${partition} did not appear after losetup -P and partx -a`);
  return { device, partition };
}

export async function mountOn(
  source: string,
  target: string,
  cleanup: CleanupStack,
  options: string[] = [],
): Promise<void> {
  await $`mount ${options} ${source} ${target}`.quiet();
  cleanup.push(`unmount ${target}`, () => $`umount ${target}`.quiet());
}
