// SPDX-License-Identifier: MIT
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { $ } from 'zx';

/**
 * A qcow2 copy-on-write overlay of a base image in `dir`: a run writes only to its overlay, so
 * runs never leak into each other or into the cached base. Returns the overlay's path.
 */
export async function imageOverlay(
  base: string,
  dir: string,
  name = `${path.basename(base, path.extname(base))}.overlay.qcow2`,
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const overlay = path.join(dir, name);
  const baseFormat = base.endsWith('.qcow2') ? 'qcow2' : 'raw';
  await $`qemu-img create -q -f qcow2 -F ${baseFormat} -b ${path.resolve(base)} ${overlay}`.quiet();
  return overlay;
}
