// SPDX-License-Identifier: MIT
// Reading aoe-parallel's per-client overlays (server/parallel/overlay.h) from the host: which
// clients have one, and a client's disk as the server shows it to that client (the base image
// with the client's written sectors over it), e.g. to mount it and look at what a PC wrote.
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, readSync, readdirSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const HEADER_BYTES = 4096;
const SECTOR = 512;
/** Sectors copied at once (4 MiB). */
const CHUNK = 8192;

/** The MACs (aa:bb:cc:dd:ee:ff) that have an overlay in `dir`. */
export function overlayClients(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => /^[0-9a-f]{12}\.map$/.test(name))
    .map((name) => name.slice(0, 12).replace(/(..)(?!$)/g, '$1:'))
    .sort();
}

const fileStem = (dir: string, mac: string) => join(dir, mac.toLowerCase().replace(/:/g, ''));

/**
 * Writes client `mac`'s disk to `out`: a sparse copy of `base`, then every sector the client
 * wrote, from its overlay. Throws when the overlay was made for a base of another size.
 */
export function composeClientDisk(base: string, dir: string, mac: string, out: string): void {
  const map = readFileSync(`${fileStem(dir, mac)}.map`);
  const header = map.subarray(0, HEADER_BYTES).toString('latin1');
  const sectors = Number(/^aoe-parallel overlay map 1\nbase sectors (\d+)\n/.exec(header)?.[1]);
  const baseSectors = Math.floor(statSync(base).size / SECTOR);
  if (sectors !== baseSectors) {
    throw new Error(`overlay of ${mac} in ${dir} was made for ${sectors} sectors, ${base} has ${baseSectors}`);
  }
  execFileSync('cp', ['--sparse=always', base, out]);
  const bits = map.subarray(HEADER_BYTES);
  const overlay = openSync(`${fileStem(dir, mac)}.img`, 'r');
  const target = openSync(out, 'r+');
  try {
    const inOverlay = (lba: number) => ((bits[lba >> 3]! >> (lba & 7)) & 1) === 1;
    for (let lba = 0; lba < sectors;) {
      if (bits[lba >> 3] === 0) {
        lba = (lba | 7) + 1; // a byte of sectors none of which was written
        continue;
      }
      if (!inOverlay(lba)) {
        lba++;
        continue;
      }
      let end = lba + 1;
      while (end < sectors && end - lba < CHUNK && inOverlay(end)) end++;
      const data = Buffer.alloc((end - lba) * SECTOR);
      readSync(overlay, data, 0, data.length, lba * SECTOR);
      writeSync(target, data, 0, data.length, lba * SECTOR);
      lba = end;
    }
  } finally {
    closeSync(overlay);
    closeSync(target);
  }
}
