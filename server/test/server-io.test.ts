// SPDX-License-Identifier: MIT
// Data integrity through the patched vblade and aoe-parallel over real AoE frames: random data
// across the LBA28 and 32-bit boundaries and at the end of the disk, every request size, page
// cache and O_DIRECT, MTU 1500 and 9000; range and size errors; a read-only export; the MAC
// filter (-m) and FLUSH through to the disk (-f).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AoeLab, buildServer, conformanceServers, spawnVblade, stopProcess, type RunningServer } from '../lab.js';

const SECTORS = 2 ** 32 + 2048;
const LBA28_END = 2 ** 28;

let lab: AoeLab;
let dir: string;
let image: string;

beforeAll(() => {
  buildServer();
  dir = mkdtempSync(join(tmpdir(), 'aoe-io-'));
  image = join(dir, 'disk.img');
  writeFileSync(image, '');
  truncateSync(image, SECTORS * 512);
  lab = AoeLab.create(`aoe-io-${process.pid}`);
});

afterAll(() => {
  lab?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function imageSectors(lba: number, sectors: number): Buffer {
  const buf = Buffer.alloc(sectors * 512);
  const fd = openSync(image, 'r');
  try {
    readSync(fd, buf, 0, buf.length, lba * 512);
  } finally {
    closeSync(fd);
  }
  return buf;
}

/** Writes random data through AoE, checks the image file, reads it back through AoE. */
async function roundTrip(lba: number, sectors: number, extra: string[] = []): Promise<void> {
  const data = randomBytes(sectors * 512);
  const input = join(dir, 'in.bin');
  const output = join(dir, 'out.bin');
  writeFileSync(input, data);
  const w = await lab.probe(['write', '--lba', String(lba), '--sectors', String(sectors), '--in', input, ...extra]);
  expect(w.code, w.stderr + JSON.stringify(w.events)).toBe(0);
  expect(imageSectors(lba, sectors).equals(data), `image at LBA ${lba} differs after writing ${sectors} sectors`).toBe(
    true,
  );
  const r = await lab.probe(['read', '--lba', String(lba), '--sectors', String(sectors), '--out', output, ...extra]);
  expect(r.code, r.stderr + JSON.stringify(r.events)).toBe(0);
  expect(readFileSync(output).equals(data), `read-back at LBA ${lba} (${sectors} sectors) differs`).toBe(true);
}

describe.each(conformanceServers)('$name', ({ binary }) => {
  describe.each([
    { cache: 'page cache', flags: [] as string[], open: 'O_RDWR', mtu: 1500, spf: 2 },
    { cache: 'O_DIRECT', flags: ['-d'], open: 'O_RDWR|O_DIRECT', mtu: 1500, spf: 2 },
    { cache: 'page cache', flags: [] as string[], open: 'O_RDWR', mtu: 9000, spf: 17 },
    { cache: 'O_DIRECT', flags: ['-d'], open: 'O_RDWR|O_DIRECT', mtu: 9000, spf: 17 },
  ])('$cache, MTU $mtu', ({ flags, open, mtu, spf }) => {
    let server: RunningServer;
    beforeAll(async () => {
      lab.setMtu(mtu);
      server = await lab.startServer({ binary, image, flags });
    });
    afterAll(async () => {
      if (server) await lab.stopServer(server);
    });

    test('the startup line shows the open flags and the target offers MTU-derived frames', async () => {
      expect(server.output()).toContain(`sectors ${open}\n`);
      const d = AoeLab.event(await lab.probe(['discover']), 'target');
      expect(d['sectors_per_frame']).toBe(spf);
    });

    test.each([
      ['across the LBA28 boundary', LBA28_END - 5, 10],
      ['across the 32-bit LBA boundary', 2 ** 32 - 3, 7],
      ['at the end of the disk', SECTORS - 37, 37],
      ['at LBA 0', 0, 64],
    ])('random data %s (LBA48 commands)', async (_name, lba, sectors) => {
      await roundTrip(lba, sectors);
    });

    test('LBA28 commands reach the last LBA28 sectors', async () => {
      await roundTrip(LBA28_END - 9, 9, ['--lba28']);
    });

    test('every request size from 1 to 2 frames + 1 sector, at unaligned LBAs', async () => {
      for (let sectors = 1; sectors <= 2 * spf + 1; sectors++) {
        await roundTrip(10_000 + sectors * 97, sectors);
      }
    });

    test('window 1 and window 64 move the same data', async () => {
      await roundTrip(50_000, 300, ['--window', '1']);
      await roundTrip(60_000, 300, ['--window', '64']);
    });

    test('a request past the end is answered with ATA IDNF, one over a frame with AoE Bad Argument', async () => {
      const past = await lab.probe(['ata', '--cmd', '0x24', '--ext', '--count', '1', '--lba', String(SECTORS)]);
      expect(AoeLab.event(past, 'ata')).toMatchObject({ status: 0x41, error: 0x10, aoe_error: false });
      const straddle = await lab.probe(['read', '--lba', String(SECTORS - 1), '--sectors', '2']);
      expect(straddle.code).toBe(1);
      expect(AoeLab.event(straddle, 'error')).toMatchObject({ result: 'ata-error', error: 0x10 });
      const oversize = await lab.probe(['ata', '--cmd', '0x24', '--ext', '--count', String(spf + 1)]);
      expect(AoeLab.event(oversize, 'ata')).toMatchObject({ aoe_error: true, aoe_code: 2 });
      const bigFrames = await lab.probe(['read', '--lba', '0', '--sectors', String(4 * spf), '--spf', String(spf + 1)]);
      expect(AoeLab.event(bigFrames, 'error')).toMatchObject({ result: 'ata-error', aoe_error: true, aoe_code: 2 });
    });

    test('a write whose sector count exceeds its data is refused and writes nothing', async () => {
      const before = imageSectors(70_000, 2);
      const r = await lab.probe([
        'ata',
        '--cmd',
        '0x34',
        '--ext',
        '--write',
        '--count',
        '2',
        '--lba',
        '70000',
        '--data-bytes',
        '512',
        '--seed',
        '5',
      ]);
      expect(AoeLab.event(r, 'ata')).toMatchObject({ aoe_error: true, aoe_code: 2 });
      expect(imageSectors(70_000, 2).equals(before)).toBe(true);
    });

    test('a read or write whose AoE W flag disagrees with its opcode is refused (Bad Argument) and writes nothing', async () => {
      const before = imageSectors(71_000, 2);
      const writeWithoutW = await lab.probe([
        'ata',
        '--cmd',
        '0x34',
        '--ext',
        '--count',
        '2',
        '--lba',
        '71000',
        '--data-bytes',
        '1024',
        '--seed',
        '6',
      ]);
      expect(AoeLab.event(writeWithoutW, 'ata')).toMatchObject({ aoe_error: true, aoe_code: 2 });
      expect(imageSectors(71_000, 2).equals(before)).toBe(true);
      const readWithW = await lab.probe(['ata', '--cmd', '0x24', '--ext', '--write', '--count', '1', '--lba', '71000']);
      expect(AoeLab.event(readWithW, 'ata')).toMatchObject({ aoe_error: true, aoe_code: 2 });
    });
  });

  describe('read-only export (-r)', () => {
    test('refuses writes with ATA ABRT, leaves the image unchanged, still serves reads', async () => {
      lab.setMtu(1500);
      const server = await lab.startServer({ binary, image, flags: ['-r'] });
      try {
        expect(server.output()).toContain('O_RDONLY');
        const before = imageSectors(80_000, 4);
        const w = await lab.probe(['write', '--lba', '80000', '--sectors', '4', '--seed', '9']);
        expect(w.code).toBe(1);
        expect(AoeLab.event(w, 'error')).toMatchObject({ result: 'ata-error', status: 0x41, error: 0x04 });
        expect(imageSectors(80_000, 4).equals(before)).toBe(true);
        const out = join(dir, 'ro.bin');
        const r = await lab.probe(['read', '--lba', '80000', '--sectors', '4', '--out', out]);
        expect(r.code).toBe(0);
        expect(readFileSync(out).equals(before)).toBe(true);
      } finally {
        await lab.stopServer(server);
      }
    });
  });

  describe('MAC filter (-m) and FLUSH to the disk (-f)', () => {
    const stranger = '02:00:00:00:00:99';
    test('only the listed initiators are answered', async () => {
      lab.setMtu(1500);
      const link = execFileSync('ip', ['-n', lab.ns, '-j', 'link', 'show', lab.clientIf], { encoding: 'utf8' });
      const client = (JSON.parse(link) as { address: string }[])[0]!.address;
      const listed = await lab.startServer({ binary, image, flags: ['-m', `${stranger},${client}`] });
      try {
        expect(AoeLab.event(await lab.probe(['identify']), 'identify')).toMatchObject({ checksum: 'valid' });
      } finally {
        await lab.stopServer(listed);
      }
      // started without the lab's wait for an answer: it must give none
      const unlisted = spawnVblade({
        netns: lab.ns,
        ifname: lab.serverIf,
        image,
        shelf: 0,
        slot: 1,
        binary,
        flags: ['-m', stranger],
      });
      try {
        for (let waited = 0; !unlisted.output().includes(' sectors ') && waited < 5000; waited += 50)
          await new Promise((resolve) => setTimeout(resolve, 50));
        expect(unlisted.output()).toContain(' sectors ');
        const found = await lab.probe(['discover', '--target', '0.1', '--wait-ms', '500']);
        expect(found.code, JSON.stringify(found.events)).toBe(1);
        expect(unlisted.alive()).toBe(true);
      } finally {
        await stopProcess(unlisted.process);
      }
    });

    test('FLUSH CACHE (EXT) with -f succeeds after a write', async () => {
      const server = await lab.startServer({ binary, image, flags: ['-f', '-d'] });
      try {
        expect((await lab.probe(['write', '--lba', '90000', '--sectors', '64', '--seed', '3'])).code).toBe(0);
        for (const flush of [
          ['--cmd', '0xe7'],
          ['--cmd', '0xea', '--ext'],
        ])
          expect(AoeLab.event(await lab.probe(['ata', ...flush]), 'ata')).toMatchObject({
            status: 0x40,
            error: 0,
            aoe_error: false,
          });
        expect(
          AoeLab.event(await lab.probe(['verify', '--lba', '90000', '--sectors', '64', '--seed', '3']), 'verify'),
        ).toMatchObject({
          mismatched_sectors: 0,
        });
      } finally {
        await lab.stopServer(server);
      }
    });
  });
});
