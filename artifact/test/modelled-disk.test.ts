// SPDX-License-Identifier: MIT
// The server's side of the hard disk model: an image behind nbdkit and the model, shown as a
// file by nbdfuse (what the AoE server's loop device reads with --profile hdd-2011).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { withModelledFile } from '../testbed/modelled-disk.js';

describe('a modelled disk as a file (nbdkit + the model + nbdfuse)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'modelled-file-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('reads the image, writes reach it, the model counts both, and nothing stays mounted', async () => {
    const image = path.join(dir, 'disk.img');
    const content = randomBytes(8 << 20);
    await writeFile(image, content);
    const statsFile = path.join(dir, 'stats.json');
    const patch = Buffer.alloc(4096, 0xa5);
    let mountedFile = '';
    await withModelledFile(
      { kind: 'modelled', path: image, scale: 1, writeCache: true, keepWrites: true, statsFile },
      async (file) => {
        mountedFile = file;
        expect((await readFile(file)).equals(content)).toBe(true);
        const handle = await open(file, 'r+');
        try {
          await handle.write(patch, 0, patch.length, 1 << 20);
          await handle.sync();
        } finally {
          await handle.close();
        }
      },
    );
    const after = await readFile(image);
    expect(after.subarray(1 << 20, (1 << 20) + 4096).equals(patch)).toBe(true);
    expect(after.subarray(0, 1 << 20).equals(content.subarray(0, 1 << 20))).toBe(true);
    const stats = JSON.parse(await readFile(statsFile, 'utf8')) as Record<string, number> & {
      drive: Record<string, number>;
    };
    expect(stats['reads']).toBeGreaterThan(0);
    expect(stats['writes']).toBeGreaterThan(0);
    expect(stats['positioningMs']).toBeGreaterThan(0);
    // The counters say which drive they are of (the paper's, at scale 1), so no reader needs a copy of hdd_model.c.
    expect(stats.drive).toMatchObject({ rpm: 5400, mediaMBps: 46, readMissOverheadMs: 0.5, readHitOverheadMs: 0.1 });
    expect(readFileSync('/proc/mounts', 'utf8')).not.toContain(path.dirname(mountedFile));
  }, 60_000);
});
