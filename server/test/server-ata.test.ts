// SPDX-License-Identifier: MIT
// The patched vblade's ATA command set over real AoE frames on a veth pair in a private
// network namespace: IDENTIFY DEVICE, SET FEATURES and the other boot-disk commands. The same
// tests run against aoe-parallel, which must answer alike.
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AoeLab, buildServer, conformanceServers, type RunningServer } from '../lab.js';

// Past 2^32 sectors, so both the LBA28 cap and 48-bit capacities are exercised (sparse file).
const SECTORS = 2 ** 32 + 2048;
const ATA_DRDY = 0x40;
const ATA_ERR = 0x01;
const ABRT = 0x04;
const IDNF = 0x10;

let lab: AoeLab;
let dir: string;
let image: string;

beforeAll(() => {
  buildServer();
  dir = mkdtempSync(join(tmpdir(), 'aoe-ata-'));
  image = join(dir, 'disk.img');
  writeFileSync(image, '');
  truncateSync(image, SECTORS * 512);
  lab = AoeLab.create(`aoe-ata-${process.pid}`);
});

afterAll(() => {
  lab?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function identify(): Promise<{ words: number[] } & Record<string, unknown>> {
  const r = await lab.probe(['identify']);
  return AoeLab.event(r, 'identify') as { words: number[] } & Record<string, unknown>;
}

async function ata(args: string[]): Promise<Record<string, number | boolean | string>> {
  const r = await lab.probe(['ata', ...args]);
  return AoeLab.event(r, 'ata') as Record<string, number | boolean | string>;
}

async function setFeatures(feature: number, count = 0) {
  const r = await lab.probe(['setfeatures', '--feature', String(feature), '--count', String(count)]);
  return AoeLab.event(r, 'ata');
}

const aborted = { status: ATA_DRDY | ATA_ERR, error: ABRT, aoe_error: false };
const succeeded = { status: ATA_DRDY, error: 0, aoe_error: false };

// Each server starts fresh: the SET FEATURES and power tests change the drive's state in order.
describe.each(conformanceServers)('$name', ({ binary }) => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await lab.startServer({ binary, image });
  });
  afterAll(async () => {
    if (server) await lab.stopServer(server);
  });

  describe('IDENTIFY DEVICE', () => {
    test('reports LBA, DMA, modes, capacities, strings and a valid checksum', async () => {
      const id = await identify();
      const w = id.words;
      expect(w).toHaveLength(256);
      expect(w[0]).toBe(0x0040); // fixed ATA device
      expect(w[49]! & 0x0300).toBe(0x0300); // LBA and DMA supported
      expect(w[53]! & 0x0007).toBe(0x0007); // words 54-58, 64-70 and 88 valid
      expect(w[63]! & 0x0007).toBe(0x0007); // MWDMA 0-2 supported
      expect(w[88]! & 0x007f).toBe(0x003f); // UDMA 0-5 supported
      expect(w[88]! >> 8).toBe(1 << 5); // UDMA5 selected at power-up, exactly one mode
      expect(w[63]! >> 8).toBe(0);
      expect(w[64]).toBe(0x0003); // PIO 3 and 4
      expect(w[83]! & 0xc000).toBe(0x4000); // word valid signature
      expect(w[83]! & 0x2400).toBe(0x2400); // 48-bit and FLUSH CACHE EXT
      expect(w[86]! & 0x2400).toBe(0x2400);
      expect(w[47]).toBe(0x8010);
      expect(w[60]! + w[61]! * 65536).toBe(0x0fffffff); // LBA28 capacity capped
      expect(w[100]! + w[101]! * 2 ** 16 + w[102]! * 2 ** 32 + w[103]! * 2 ** 48).toBe(SECTORS);
      expect(w[255]! & 0xff).toBe(0xa5);
      expect(id).toMatchObject({
        lba: true,
        dma: true,
        lba28_sectors: 0x0fffffff,
        lba48_sectors: SECTORS,
        checksum: 'valid',
        model: 'vblade AoE disk (VMM netboot)',
        firmware: 'V25nb',
        udma_selected: 5,
        mwdma_selected: -1,
      });
      expect(String(id['serial'])).toMatch(/^0\.1:/);
    });
  });

  describe('SET FEATURES', () => {
    test('set transfer mode changes the mode IDENTIFY reports, one DMA mode at a time', async () => {
      expect(await setFeatures(0x03, 0x22)).toMatchObject(succeeded); // MWDMA2
      expect(await identify()).toMatchObject({ mwdma_selected: 2, udma_selected: -1, checksum: 'valid' });
      expect(await setFeatures(0x03, 0x44)).toMatchObject(succeeded); // UDMA4
      expect(await identify()).toMatchObject({ mwdma_selected: -1, udma_selected: 4, checksum: 'valid' });
      expect(await setFeatures(0x03, 0x0c)).toMatchObject(succeeded); // PIO4 leaves the DMA mode
      expect(await identify()).toMatchObject({ udma_selected: 4 });
    });

    test.each([
      ['UDMA6 (not advertised)', 0x46],
      ['MWDMA3', 0x23],
      ['PIO5', 0x0d],
      ['unknown mode class', 0x80],
    ])('rejects transfer mode %s with ABRT and keeps the mode', async (_name, mode) => {
      expect(await setFeatures(0x03, mode)).toMatchObject(aborted);
      expect(await identify()).toMatchObject({ udma_selected: 4 });
    });

    test('write cache and look-ahead switches are accepted and reported in word 85', async () => {
      expect(await setFeatures(0x82)).toMatchObject(succeeded);
      expect(await setFeatures(0x55)).toMatchObject(succeeded);
      expect((await identify()).words[85]! & 0x60).toBe(0);
      expect(await setFeatures(0x02)).toMatchObject(succeeded);
      expect(await setFeatures(0xaa)).toMatchObject(succeeded);
      expect((await identify()).words[85]! & 0x60).toBe(0x60);
      expect(await setFeatures(0x66)).toMatchObject(succeeded);
      expect(await setFeatures(0xcc)).toMatchObject(succeeded);
    });

    test('an unknown subcommand is aborted', async () => {
      expect(await setFeatures(0x99)).toMatchObject(aborted);
    });
  });

  describe('other boot-disk commands', () => {
    test('READ NATIVE MAX ADDRESS (EXT) return the last LBA', async () => {
      expect(await ata(['--cmd', '0x27', '--ext'])).toMatchObject({ ...succeeded, lba: SECTORS - 1 });
      // 28-bit form: capped, device register bits (LBA mode) kept
      expect(await ata(['--cmd', '0xf8', '--lba', '0xe0000000'])).toMatchObject({
        ...succeeded,
        lba: 0xe0000000 + 0x0ffffffe,
      });
    });

    test('READ VERIFY reads without returning data, and reports IDNF past the end', async () => {
      expect(await ata(['--cmd', '0x40', '--count', '200', '--lba', '8'])).toMatchObject({
        ...succeeded,
        data_len: 24,
      });
      expect(await ata(['--cmd', '0x42', '--ext', '--count', '2', '--lba', String(SECTORS - 1)])).toMatchObject({
        status: ATA_DRDY | ATA_ERR,
        error: IDNF,
        lba: SECTORS - 1,
      });
    });

    test('FLUSH CACHE and FLUSH CACHE EXT succeed with DRDY', async () => {
      expect(await ata(['--cmd', '0xe7'])).toMatchObject(succeeded);
      expect(await ata(['--cmd', '0xea', '--ext'])).toMatchObject(succeeded);
    });

    test('standby and idle are tracked by CHECK POWER MODE', async () => {
      expect(await ata(['--cmd', '0xe0'])).toMatchObject(succeeded);
      expect(await ata(['--cmd', '0xe5'])).toMatchObject({ ...succeeded, count: 0x00 });
      expect(await ata(['--cmd', '0xe1'])).toMatchObject(succeeded);
      expect(await ata(['--cmd', '0xe5'])).toMatchObject({ ...succeeded, count: 0xff });
      expect(await ata(['--cmd', '0xe2', '--count', '10'])).toMatchObject(succeeded);
      expect(await ata(['--cmd', '0x24', '--ext', '--count', '1'])).toMatchObject(succeeded); // media access wakes
      expect(await ata(['--cmd', '0xe5'])).toMatchObject({ count: 0xff });
    });

    test('SET MULTIPLE MODE gates READ MULTIPLE and shows in word 59', async () => {
      expect(await ata(['--cmd', '0xc6', '--count', '0'])).toMatchObject(succeeded);
      expect(await ata(['--cmd', '0xc4', '--count', '1', '--lba', '0xe0000000'])).toMatchObject(aborted);
      expect(await ata(['--cmd', '0xc6', '--count', '3'])).toMatchObject(aborted);
      expect(await ata(['--cmd', '0xc6', '--count', '32'])).toMatchObject(aborted);
      expect(await ata(['--cmd', '0xc6', '--count', '8'])).toMatchObject(succeeded);
      expect((await identify()).words[59]).toBe(0x0108);
      expect(await ata(['--cmd', '0xc4', '--count', '1', '--lba', '0xe0000000'])).toMatchObject({
        ...succeeded,
        data_len: 512,
      });
    });

    test('INITIALIZE DEVICE PARAMETERS sets the current geometry (words 54-58)', async () => {
      expect(await ata(['--cmd', '0x91', '--count', '32', '--lba', '0xef000000'])).toMatchObject(succeeded);
      const w = (await identify()).words;
      expect([w[54], w[55], w[56]]).toEqual([65535, 16, 32]);
      expect(w[57]! + w[58]! * 65536).toBe(65535 * 16 * 32);
      expect(await ata(['--cmd', '0x91', '--count', '0'])).toMatchObject(aborted);
    });

    test('READ DMA (EXT) return data like READ SECTORS', async () => {
      expect(await ata(['--cmd', '0x25', '--ext', '--count', '2', '--lba', '100'])).toMatchObject({
        ...succeeded,
        data_len: 1024,
      });
      expect(await ata(['--cmd', '0xc8', '--count', '1', '--lba', '0xe0000064'])).toMatchObject({
        ...succeeded,
        data_len: 512,
      });
    });

    test.each([
      ['NOP', 0x00],
      ['SMART', 0xb0],
      ['DOWNLOAD MICROCODE', 0x92],
      ['SECURITY ERASE UNIT', 0xf4],
    ])('%s is aborted with ATA ABRT', async (_name, cmd) => {
      expect(await ata(['--cmd', String(cmd)])).toMatchObject(aborted);
    });
  });
});
