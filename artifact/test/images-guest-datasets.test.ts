// SPDX-License-Identifier: MIT
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { guestPayloadDir } from '../images/paths.js';

// The guest's input generators run here with the host's python3 (same code as in the image).
async function generate(dir: string, seed: number): Promise<Record<string, string>> {
  const script = [
    'import sys; sys.path.insert(0, sys.argv[1]); import datasets',
    'out, seed = sys.argv[2], int(sys.argv[3])',
    'datasets.file_tree(out + "/tree", seed, 0.02); datasets.maildir(out + "/mail", seed, 0.02)',
    'datasets.wav_files(out + "/music", seed, 0.1); datasets.web_pages(out + "/web", seed, 0.1)',
    'print(datasets.search_terms(seed))',
  ].join('\n');
  const terms = execFileSync(
    'python3',
    ['-c', script, path.join(guestPayloadDir, 'netboot-bench'), dir, String(seed)],
    { encoding: 'utf8' },
  );
  const digests: Record<string, string> = { terms };
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    digests[path.relative(dir, file)] = createHash('sha256')
      .update(await readFile(file))
      .digest('hex');
  }
  return digests;
}

describe('guest benchmark inputs', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });
  const fresh = async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'datasets-'));
    dirs.push(dir);
    return dir;
  };

  test('the same seed gives byte-identical inputs; another seed gives different ones', async () => {
    const first = await generate(await fresh(), 7);
    const again = await generate(await fresh(), 7);
    const other = await generate(await fresh(), 8);
    expect(Object.keys(first).length).toBeGreaterThan(50);
    expect(again).toEqual(first);
    expect(other.terms).not.toBe(first.terms);
    expect(Object.keys(first).filter((k) => other[k] === first[k])).toEqual([]);
  });
});
