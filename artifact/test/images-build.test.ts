// SPDX-License-Identifier: MIT
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { CleanupStack } from '../images/cleanup-stack.js';
import { ensureDebianImage } from '../images/index.js';

describe('image build failures lose nothing and leave nothing behind', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  test('cleanup runs every action newest first and reports all failures together', async () => {
    const order: string[] = [];
    const stack = new CleanupStack();
    stack.push('first', async () => order.push('first'));
    stack.push('broken', async () => {
      throw new Error('device busy');
    });
    stack.push('last', async () => order.push('last'));
    await expect(stack.runAll()).rejects.toThrow(/cleanup failed[\s\S]*broken: device busy/);
    expect(order).toEqual(['last', 'first']);
    await expect(stack.runAll()).resolves.toBeUndefined();
  });

  test(
    'an unreachable mirror fails the build with the log path; no image, partial file, lock, mount or loop device remains',
    { timeout: 5 * 60_000 },
    async () => {
      const cacheDir = await mkdtemp(path.join(os.tmpdir(), 'image-fail-'));
      dirs.push(cacheDir);
      const tmpRootsBefore = (await readdir(os.tmpdir())).filter((f) => f.startsWith('image-root-'));
      const error = await ensureDebianImage({ cacheDir, mirror: 'http://127.0.0.1:9/debian' }).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(error?.message).toMatch(/debootstrap .*failed with exit code \d+ \(full log: .*\.build\.log\)/);
      const left = await readdir(cacheDir);
      expect(left).toHaveLength(1);
      expect(left[0]).toMatch(/^debian12-stock-rootfs-[0-9a-f]{16}\.build\.log$/);
      expect(await readFile(path.join(cacheDir, left[0]!), 'utf8')).toContain('127.0.0.1:9');
      expect(execFileSync('losetup', ['-a'], { encoding: 'utf8' })).not.toContain(cacheDir);
      const tmpRootsAfter = (await readdir(os.tmpdir())).filter((f) => f.startsWith('image-root-'));
      expect(tmpRootsAfter.filter((f) => !tmpRootsBefore.includes(f))).toEqual([]);
    },
  );
});
