// SPDX-License-Identifier: MIT
// The boot storm's replay half (issue 21): several initiators, each with its own MAC, replay one
// stream at once against one server. From aoe-parallel -C each client gets an overlay of its own
// and the image stays as it was; against vblade they share the image. A client whose stream the
// server refuses (past the end of the disk) is reported as failed with aoe-probe's reason.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { formatStream, type StreamCommand } from '../boot-stream.js';
import { buildServer, conformanceServers, parallelServer } from '../lab.js';
import { overlayClients } from '../overlay.js';
import { runReplayStorm, stormClientMac } from '../storm.js';

let dir: string;
let image: string;
let streamFile: string;
const stream: StreamCommand[] = [
  { gapUs: 0, write: false, lba: 0, sectors: 64 },
  { gapUs: 20_000, write: true, lba: 4096, sectors: 16 },
  { gapUs: 10_000, write: false, lba: 8192, sectors: 128 },
  { gapUs: 0, write: true, lba: 100, sectors: 2 },
];
const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

beforeAll(() => {
  buildServer();
  dir = mkdtempSync(join(tmpdir(), 'aoe-storm-'));
  image = join(dir, 'disk.img');
  writeFileSync(image, '');
  truncateSync(image, 16 << 20);
  streamFile = join(dir, 'stream.txt');
  writeFileSync(streamFile, formatStream(stream));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('storm client MACs are distinct, locally administered, and refuse out-of-range indexes', () => {
  expect(stormClientMac(0)).toBe('02:a0:e0:00:00:00');
  expect(stormClientMac(300)).toBe('02:a0:e0:00:01:2c');
  expect(() => stormClientMac(-1)).toThrow(/out of range/);
});

describe.each(conformanceServers)('$name', ({ name, binary, parallel }) => {
  test('four clients replay one stream at once; each completes all of it', async () => {
    const before = digest(image);
    const overlays = join(dir, `overlays-${name}`);
    const result = await runReplayStorm({
      labName: `aoe-storm-${name}-${process.pid}`,
      binary,
      image,
      flags: ['-b', '64', ...(parallel ? ['-C', overlays] : [])],
      streamFile,
      clients: 4,
    });
    expect(result.clients.map((c) => c.error ?? '')).toEqual(['', '', '', '']);
    for (const client of result.clients) {
      expect(client).toMatchObject({ ok: true, sectorsRead: 64 + 128, sectorsWritten: 18 });
      expect(client.elapsedUs).toBeGreaterThanOrEqual(30_000);
      expect(client.diskUs).toBeGreaterThan(0);
      expect(client.diskUs).toBeLessThan(client.elapsedUs);
    }
    // all four ran at once: the storm took less than four replays one after another would
    expect(result.wallUs).toBeLessThan(result.clients.reduce((sum, c) => sum + c.elapsedUs, 0));
    if (binary === parallelServer) {
      expect(overlayClients(overlays)).toEqual(result.clients.map((c) => c.mac).sort());
      expect(digest(image)).toBe(before);
    } else expect(digest(image)).not.toBe(before);
  });
});

test('clients whose stream runs past the end of the disk are reported as failed, with the reason', async () => {
  const pastEnd = join(dir, 'past-end.txt');
  writeFileSync(pastEnd, formatStream([{ gapUs: 0, write: false, lba: (16 << 20) / 512 - 1, sectors: 8 }]));
  const result = await runReplayStorm({
    labName: `aoe-storm-end-${process.pid}`,
    binary: parallelServer,
    image,
    flags: ['-r'],
    streamFile: pastEnd,
    clients: 2,
  });
  expect(result.clients.map((c) => c.ok)).toEqual([false, false]);
  expect(result.clients[0]!.error).toMatch(/replay: command 1 of 1/);
});
