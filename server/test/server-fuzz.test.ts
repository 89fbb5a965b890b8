// SPDX-License-Identifier: MIT
// Malformed frames never crash the patched vblade or aoe-parallel: a bounded, seeded fuzz loop of
// truncated, wrong-version, wrong-target, oversize and random-header frames, then the server must
// still be running and serve the data written before. Both servers get the same seeded frames, so
// aoe-parallel must give exactly vblade's answers: the probe's digest of every answer's bytes
// (independent of their order) must match. Both run with -b 64: the buffer count is in the
// Query Config answers, and a larger socket buffer keeps frames from being dropped.
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AoeLab, buildServer, conformanceServers, type RunningServer } from '../lab.js';

let lab: AoeLab;
let dir: string;
let image: string;
/** The first server's (vblade's) answer digest and count per seed. */
const firstAnswers = new Map<number, { digest: unknown; answers: unknown; server: string }>();

beforeAll(() => {
  buildServer();
  dir = mkdtempSync(join(tmpdir(), 'aoe-fuzz-'));
  image = join(dir, 'disk.img');
  writeFileSync(image, '');
  truncateSync(image, 64 << 20);
  lab = AoeLab.create(`aoe-fuzz-${process.pid}`);
});

afterAll(() => {
  lab?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.each(conformanceServers)('$name', ({ name, binary }) => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await lab.startServer({ binary, image, flags: ['-b', '64'] });
  });
  afterAll(async () => {
    if (server) await lab.stopServer(server);
  });

  test.each([1, 2, 3])('fuzz round with seed %i: server alive, answers, data intact', async (seed) => {
    const region = ['--lba', '0', '--sectors', '2048', '--seed', String(1000 + seed)];
    expect((await lab.probe(['write', ...region])).code).toBe(0);
    const fuzz = AoeLab.event(await lab.probe(['fuzz', '--frames', '4000', '--seed', String(seed)]), 'fuzz');
    // every kind was exercised, and the server answered the ones that deserve an answer
    for (const kind of [
      'truncated',
      'bad_version',
      'other_target',
      'count_over_frame',
      'oversize_count',
      'random_header',
      'unknown_command',
      'config',
      'mask_reserve_read',
    ]) {
      expect(fuzz[kind], kind).toBeGreaterThan(100);
    }
    expect(fuzz['answers']).toBeGreaterThan(1000);
    expect(fuzz['answers_digest']).toMatch(/^[0-9a-f]{16}$/);
    const first = firstAnswers.get(seed);
    if (first === undefined)
      firstAnswers.set(seed, { digest: fuzz['answers_digest'], answers: fuzz['answers'], server: name });
    else
      expect(
        { digest: fuzz['answers_digest'], answers: fuzz['answers'] },
        `the same answers as ${first.server}`,
      ).toEqual({
        digest: first.digest,
        answers: first.answers,
      });
    // a version other than 1 is answered with AoE error 5 (unsupported version); on a loaded host
    // a few frames may be dropped by the server's socket buffer, hence 90 %
    expect(fuzz['unsupported_version_answers']).toBeLessThanOrEqual(fuzz['bad_version'] as number);
    expect(fuzz['unsupported_version_answers']).toBeGreaterThanOrEqual(
      Math.floor(0.9 * (fuzz['bad_version'] as number)),
    );
    expect(server.alive(), server.output()).toBe(true);
    // a small disk reports the same capacity in the LBA28 and LBA48 words
    expect(AoeLab.event(await lab.probe(['identify']), 'identify')).toMatchObject({
      checksum: 'valid',
      dma: true,
      lba28_sectors: 131072,
      lba48_sectors: 131072,
    });
    const verify = await lab.probe(['verify', ...region]);
    expect(AoeLab.event(verify, 'verify')).toMatchObject({ mismatched_sectors: 0 });
  });
});
