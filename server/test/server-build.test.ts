// SPDX-License-Identifier: MIT
// The server build: the pinned source is verified, and a missing or mismatched source stops the
// build with a message that says what is wrong. (Uses the apt cache/mirror: a few kB.)
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { aoeProbe, buildServer, parallelServer, patchedVblade, serverDir } from '../lab.js';

let scratch: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'aoe-build-'));
  copyFileSync(join(serverDir, 'fetch-source.sh'), join(scratch, 'fetch-source.sh'));
});

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

function fetchInScratch(version: string, sums: string) {
  writeFileSync(join(scratch, 'source.sha256'), sums);
  return spawnSync('bash', [join(scratch, 'fetch-source.sh'), version, join(scratch, 'src')], { encoding: 'utf8' });
}

test('make -C server builds the patched vblade, aoe-probe and aoe-parallel', () => {
  buildServer();
  expect(existsSync(patchedVblade) && existsSync(aoeProbe) && existsSync(parallelServer)).toBe(true);
  // every patch of the series is applied to the built tree
  const series = readFileSync(join(serverDir, 'patches/series'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'));
  const applied = execFileSync('cat', [join(serverDir, 'build/vblade-patched/.pc-vmm/applied-patches')], {
    encoding: 'utf8',
  });
  expect(applied.trim().split('\n')).toEqual(series);
});

test('a source that does not match the pinned checksums is refused', () => {
  const sums = readFileSync(join(serverDir, 'source.sha256'), 'utf8').replace(/^[0-9a-f]{8}/, '00000000');
  const r = fetchInScratch('25-1', sums);
  expect(r.status).not.toBe(0);
  expect(r.stderr).toMatch(/does not match the pinned checksums/);
  expect(existsSync(join(scratch, 'src'))).toBe(false);
});

test('a version without pinned checksums is refused before any download', () => {
  const r = fetchInScratch('0.0-0', readFileSync(join(serverDir, 'source.sha256'), 'utf8'));
  expect(r.status).not.toBe(0);
  expect(r.stderr).toMatch(/pins no vblade_0\.0-0\.dsc/);
});

test('a pinned version the archive does not have gives a clear error', () => {
  const r = fetchInScratch('0.0-0', `${'0'.repeat(64)}  vblade_0.0-0.dsc\n`);
  expect(r.status).not.toBe(0);
  expect(r.stderr).toMatch(/apt-get source vblade=0\.0-0 failed/);
});
