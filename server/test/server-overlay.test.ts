// SPDX-License-Identifier: MIT
// Per-client copy-on-write overlays of aoe-parallel (-c keeps them, -C discards them at start):
// initiators with their own MACs (macvlans on the lab's client end) share one base image. Each
// reads what it wrote and the base elsewhere, a read across both comes back merged sector by
// sector, no write reaches the base, kept overlays survive a restart, and an overlay that does
// not fit the base fails that client's I/O only, with a message saying what to do.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AoeLab, buildServer, parallelServer, type ProbeResult, type RunningServer } from '../lab.js';
import { composeClientDisk, overlayClients } from '../overlay.js';

const MAC_A = '02:00:00:00:0a:01';
const MAC_B = '02:00:00:00:0b:02';
/** Sectors [0, BASE_SECTORS) of the base hold the seed-1 pattern. */
const BASE_SECTORS = 4096;
let lab: AoeLab;
let dir: string;
let base: string;
let baseDigest: string;
let clientA: string;
let clientB: string;

const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Sectors of [lba, lba + sectors) that differ from the seed's pattern, as seen by a client. */
async function mismatches(ifname: string, lba: number, sectors: number, seed: number): Promise<number> {
  const result = await lab.probe(
    ['verify', '--lba', String(lba), '--sectors', String(sectors), '--seed', String(seed)],
    ifname,
  );
  return AoeLab.event(result, 'verify')['mismatched_sectors'] as number;
}

function write(ifname: string, lba: number, sectors: number, seed: number): Promise<ProbeResult> {
  return lab.probe(['write', '--lba', String(lba), '--sectors', String(sectors), '--seed', String(seed)], ifname);
}

async function withServer(flags: string[], body: (server: RunningServer) => Promise<void>): Promise<void> {
  const server = await lab.startServer({ binary: parallelServer, image: base, flags });
  try {
    await body(server);
  } finally {
    await lab.stopServer(server);
  }
}

beforeAll(async () => {
  buildServer();
  dir = mkdtempSync(join(tmpdir(), 'aoe-overlay-'));
  base = join(dir, 'base.img');
  writeFileSync(base, '');
  truncateSync(base, 16 << 20);
  lab = AoeLab.create(`aoe-overlay-${process.pid}`);
  clientA = lab.addClient('cli-a', MAC_A);
  clientB = lab.addClient('cli-b', MAC_B);
  // the base's contents, written through the server without overlays
  await withServer([], async () => {
    expect((await write(lab.clientIf, 0, BASE_SECTORS, 1)).code).toBe(0);
  });
  baseDigest = digest(base);
}, 60_000);

afterAll(() => {
  lab?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('aoe-parallel per-client overlays', () => {
  test('two clients write different data over one base: each reads its own writes and the base elsewhere', async () => {
    const overlays = join(dir, 'two-clients');
    await withServer(['-C', overlays], async () => {
      // A writes two ranges, B one range across both of A's
      expect((await write(clientA, 100, 64, 2)).code).toBe(0);
      expect((await write(clientA, 300, 64, 2)).code).toBe(0);
      expect((await write(clientB, 132, 200, 3)).code).toBe(0);

      expect(await mismatches(clientA, 100, 64, 2)).toBe(0);
      expect(await mismatches(clientA, 300, 64, 2)).toBe(0);
      // one read across A's writes and the base: its 128 written sectors are A's, the rest the base's
      expect(await mismatches(clientA, 64, 336, 1)).toBe(128);
      expect(await mismatches(clientA, 64, 336, 2)).toBe(336 - 128);
      // B sees its own writes, and the base (not A's writes) around them
      expect(await mismatches(clientB, 132, 200, 3)).toBe(0);
      expect(await mismatches(clientB, 0, 132, 1)).toBe(0);
      expect(await mismatches(clientB, 332, BASE_SECTORS - 332, 1)).toBe(0);
      // a client that never wrote reads the base
      expect(await mismatches(lab.clientIf, 0, BASE_SECTORS, 1)).toBe(0);
    });
    expect(digest(base), 'a write reached the base image').toBe(baseDigest);
    expect(readdirSync(overlays).sort()).toEqual([
      '020000000a01.img',
      '020000000a01.map',
      '020000000b02.img',
      '020000000b02.map',
    ]);
    // each client's disk composed on the host from the base and its overlay is what it read
    expect(overlayClients(overlays)).toEqual([MAC_A, MAC_B]);
    for (const [mac, ifname] of [
      [MAC_A, clientA],
      [MAC_B, clientB],
    ] as const) {
      const composed = join(dir, `composed-${ifname}.img`);
      composeClientDisk(base, overlays, mac, composed);
      const seen = join(dir, `seen-${ifname}.bin`);
      await withServer(['-c', overlays], async () => {
        expect((await lab.probe(['read', '--lba', '0', '--sectors', '512', '--out', seen], ifname)).code).toBe(0);
      });
      expect(
        readFileSync(composed)
          .subarray(0, 512 * 512)
          .equals(readFileSync(seen)),
        `${mac}'s composed disk`,
      ).toBe(true);
    }
    expect(readFileSync(join(overlays, '020000000a01.map'), 'latin1')).toMatch(
      /^aoe-parallel overlay map 1\nbase sectors 32768\nclient 02:00:00:00:0a:01\n/,
    );
  }, 60_000);

  test('cache off (-d): a kept overlay (-c) survives a restart after FLUSH CACHE; -C starts from the base', async () => {
    const overlays = join(dir, 'kept');
    // -f: the FLUSH syncs the overlay's data and writes its map back
    await withServer(['-d', '-f', '-c', overlays], async () => {
      expect((await write(clientA, 1000, 64, 4)).code).toBe(0);
      const flush = await lab.probe(['ata', '--cmd', '0xea', '--ext'], clientA);
      expect(flush.code, flush.stderr).toBe(0);
    });
    await withServer(['-d', '-c', overlays], async (server) => {
      expect(server.output()).toMatch(/kept across restarts \(2 files found\)/);
      expect(await mismatches(clientA, 1000, 64, 4)).toBe(0);
      expect(await mismatches(clientA, 900, 100, 1)).toBe(0);
    });
    await withServer(['-d', '-C', overlays], async (server) => {
      expect(server.output()).toMatch(/discarded at start \(2 files discarded\)/);
      expect(await mismatches(clientA, 1000, 64, 1)).toBe(0);
    });
    expect(digest(base), 'a write reached the base image').toBe(baseDigest);
  }, 60_000);

  test('an overlay made for another image: that client gets I/O errors and the log says what to do; others are served', async () => {
    const overlays = join(dir, 'misfit');
    await withServer(['-C', overlays], async () => {
      expect((await write(clientA, 0, 8, 5)).code).toBe(0);
    });
    // the same overlay directory in front of a base of another size
    const map = join(overlays, '020000000a01.map');
    writeFileSync(map, readFileSync(map, 'latin1').replace('base sectors 32768', 'base sectors 65536'), 'latin1');
    await withServer(['-c', overlays], async (server) => {
      const read = await lab.probe(['read', '--lba', '0', '--sectors', '8'], clientA);
      expect(read.code).not.toBe(0);
      expect(await mismatches(clientB, 0, 8, 1)).toBe(0);
      expect(server.output()).toMatch(
        /overlay .*020000000a01\.map: cannot match its map to the base image .*I\/O fails until its \.img and \.map are removed \(or the server is restarted with -C/,
      );
    });
  }, 60_000);

  test('-r with an overlay directory is refused with a message', () => {
    const refused = spawnSync(parallelServer, ['-r', '-c', dir, '0', '1', lab.serverIf, base], { encoding: 'utf8' });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/-r and -c: a read-only export has no writes to keep in overlays/);
  });
});
