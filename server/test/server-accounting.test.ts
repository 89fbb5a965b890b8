// SPDX-License-Identifier: MIT
// Accounting for the cache-effect figures: the image is exported through a loop device, the
// server (patched vblade, then aoe-parallel: the same formats) writes its counters (-a) and trace
// (-t), and the sampler compares the bytes clients issued with the bytes that reached the block
// device (/sys/block/loopN/stat).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseCounters, parseTrace } from '../accounting.js';
import { AoeLab, attachLoop, buildServer, conformanceServers, detachLoop, type RunningServer } from '../lab.js';
import { blockDeviceBytes, startAccountingSampler } from '../sampler.js';

const MiB = 1 << 20;
// Other tools on a shared host may read any block device (signature probes read a few kB at its
// start and end): "reached" may exceed what the server caused by at most this much.
const FOREIGN = MiB;
const about = (expected: number) => ({
  asymmetricMatch: (v: number) => v >= expected && v < expected + FOREIGN,
  toString: () => `${expected} (+ < ${FOREIGN})`,
});
let lab: AoeLab;
let dir: string;
let loop: string | undefined;

beforeAll(() => {
  buildServer();
  dir = mkdtempSync(join(tmpdir(), 'aoe-acct-'));
  const image = join(dir, 'disk.img');
  writeFileSync(image, '');
  truncateSync(image, 256 * MiB);
  loop = attachLoop(image);
  lab = AoeLab.create(`aoe-acct-${process.pid}`);
});

afterAll(() => {
  lab?.close();
  if (loop) detachLoop(loop);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 400)); // counters lag <= 100 ms

async function start(
  binary: string,
  flags: string[],
): Promise<{ server: RunningServer; counters: string; trace: string }> {
  const name = `${binary.split('/').pop()}${flags.join('')}`;
  const counters = join(dir, `counters-${name}.txt`);
  const trace = join(dir, `trace-${name}.log`);
  const server = await lab.startServer({ binary, image: loop!, flags: [...flags, '-a', counters, '-t', trace] });
  return { server, counters, trace };
}

describe.each(conformanceServers)('$name', ({ binary }) => {
  describe('cache off (O_DIRECT): every issued byte reaches the disk', () => {
    let s: Awaited<ReturnType<typeof start>>;
    beforeAll(async () => {
      s = await start(binary, ['-d']);
    });
    afterAll(async () => {
      if (s) await lab.stopServer(s.server);
    });

    test('reads and writes: counters, trace and block-device statistics agree', async () => {
      const sampler = startAccountingSampler({ countersFile: s.counters, blockDev: loop!, intervalMs: 50 });
      expect((await lab.probe(['write', '--lba', '2048', '--sectors', '2048', '--seed', '1'])).code).toBe(0);
      expect(
        (
          await lab.probe([
            'io',
            '--op',
            'read',
            '--bs',
            String(MiB),
            '--requests',
            '4',
            '--span',
            String(8192),
            '--lba',
            '2048',
          ])
        ).code,
      ).toBe(0);
      await settle();
      const samples = sampler.stop();
      const last = samples[samples.length - 1]!;
      expect(last).toMatchObject({ issuedReadBytes: 4 * MiB, issuedWriteBytes: MiB });
      expect(last.reachedReadBytes).toEqual(about(4 * MiB));
      expect(last.reachedWriteBytes).toEqual(about(MiB));
      for (let i = 1; i < samples.length; i++) {
        expect(samples[i]!.issuedReadBytes).toBeGreaterThanOrEqual(samples[i - 1]!.issuedReadBytes);
        expect(samples[i]!.tMs).toBeGreaterThanOrEqual(samples[i - 1]!.tMs);
      }

      const counters = parseCounters(readFileSync(s.counters, 'utf8'));
      expect(counters).toMatchObject({
        readBytes: 4 * MiB,
        writeBytes: MiB,
        readCmds: 4096,
        writeCmds: 1024,
        errors: 0,
        open: 'O_RDWR|O_DIRECT',
      });

      const trace = parseTrace(readFileSync(s.trace, 'utf8'));
      expect(trace.open).toBe('O_RDWR|O_DIRECT');
      const reads = trace.records.filter((r) => r.command === 0x24);
      const writes = trace.records.filter((r) => r.command === 0x34);
      expect(reads).toHaveLength(4096);
      expect(writes).toHaveLength(1024);
      expect(reads.reduce((n, r) => n + r.bytes, 0)).toBe(4 * MiB);
      expect(writes.every((r) => r.sectors === 2 && r.bytes === 1024 && r.status === 0x40 && r.serviceNs > 0)).toBe(
        true,
      );
      // tags follow the paper's layout: one command sequence per request, packet index 0..1023
      // (sorted: a parallel server answers, and so traces, in the order its I/O completes)
      const firstRequest = reads
        .filter((r) => r.tag >>> 16 === reads[0]!.tag >>> 16)
        .map((r) => r.tag & 0xffff)
        .sort((a, b) => a - b);
      expect(firstRequest).toEqual(Array.from({ length: 1024 }, (_, i) => i));
    });
  });

  describe('cache on (page cache): repeated reads do not reach the disk', () => {
    test('the first read reaches the disk, the second is served from memory', async () => {
      // read-ahead off so that exactly the issued range is read from the device
      const readAhead = execFileSync('blockdev', ['--getra', loop!], { encoding: 'utf8' }).trim();
      execFileSync('blockdev', ['--setra', '0', '--flushbufs', loop!]);
      const s = await start(binary, []);
      try {
        const read = () => lab.probe(['read', '--lba', '65536', '--sectors', '8192']);
        let before = blockDeviceBytes(loop!);
        expect((await read()).code).toBe(0);
        const first = blockDeviceBytes(loop!).readBytes - before.readBytes;
        before = blockDeviceBytes(loop!);
        expect((await read()).code).toBe(0);
        const second = blockDeviceBytes(loop!).readBytes - before.readBytes;
        expect(first).toEqual(about(4 * MiB));
        expect(second).toEqual(about(0));
        await settle();
        expect(parseCounters(readFileSync(s.counters, 'utf8'))).toMatchObject({ readBytes: 8 * MiB, open: 'O_RDWR' });
      } finally {
        await lab.stopServer(s.server);
        execFileSync('blockdev', ['--setra', readAhead, loop!]);
      }
    });
  });
});
