// SPDX-License-Identifier: MIT
// Concurrency, merging and ordering are real. Frames are queued in the server's socket while the
// server is stopped (SIGSTOP), then it resumes and finds them all at once.
// - A window of 64 adjacent read frames: our vblade answers them one by one (its trace shows one
//   request in flight at a time); aoe-parallel reads all 64 in one receive batch, has all 64 in
//   flight at once (trace), and reads the 64 adjacent 1 KiB requests with one 64 KiB submission
//   (its -p statistics). The same body runs against both, so it is seen to fail for a serial server.
// - A window of writes, then a window of reads of the same sectors: the reads must return the
//   written data; aoe-parallel holds each read back until the write to its sectors is done.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { maxInFlight, parseParallelStats, parseTrace } from '../accounting.js';
import { AoeLab, buildServer, conformanceServers, type ProbeResult, type RunningServer } from '../lab.js';

const WINDOW = 64;
const SECTORS = 2 * WINDOW; // one window of 2-sector frames (MTU 1500)
let lab: AoeLab;
let dir: string;
let image: string;

beforeAll(() => {
  buildServer();
  dir = mkdtempSync(join(tmpdir(), 'aoe-conc-'));
  image = join(dir, 'disk.img');
  writeFileSync(image, '');
  truncateSync(image, 16 << 20);
  lab = AoeLab.create(`aoe-conc-${process.pid}`);
  // only the probes' frames reach the server's interface (no IPv6 router solicitations), so its
  // receive counter says when a whole window has arrived
  for (const dev of [lab.serverIf, lab.clientIf])
    execFileSync('ip', ['netns', 'exec', lab.ns, 'sysctl', '-qw', `net.ipv6.conf.${dev}.disable_ipv6=1`]);
});

afterAll(() => {
  lab?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function framesReceived(): number {
  const out = execFileSync('ip', ['-n', lab.ns, '-s', '-j', 'link', 'show', lab.serverIf], { encoding: 'utf8' });
  return (JSON.parse(out) as { stats64: { rx: { packets: number } } }[])[0]!.stats64.rx.packets;
}

/**
 * Stops the server, starts each probe command in turn once the previous one's window has reached
 * the server's interface, resumes the server, and returns the probes' results.
 */
async function queuedWhileStopped(server: RunningServer, commands: string[][]): Promise<ProbeResult[]> {
  // with the MAC known a probe skips discovery, so it can send to a stopped server
  const mac = AoeLab.event(await lab.probe(['discover']), 'target')['mac'] as string;
  server.process.kill('SIGSTOP');
  try {
    const running: Promise<ProbeResult>[] = [];
    for (const command of commands) {
      const before = framesReceived();
      running.push(lab.probe([...command, '--window', String(WINDOW), '--mac', mac, '--timeout-ms', '10000']));
      for (let waited = 0; framesReceived() < before + WINDOW && waited < 10_000; waited += 20) await sleep(20);
      expect(framesReceived() - before).toBe(WINDOW);
    }
    await sleep(50); // the last frame from the interface's counter into the socket's queue
    server.process.kill('SIGCONT');
    return await Promise.all(running);
  } finally {
    server.process.kill('SIGCONT');
  }
}

describe.each(conformanceServers)('$name', ({ name, binary, parallel }) => {
  test(`a queued window of ${WINDOW} adjacent reads: requests in flight at once and merged`, async () => {
    const trace = join(dir, `trace-${name}.log`);
    const stats = join(dir, `stats-${name}.txt`);
    const flags = ['-b', String(WINDOW), '-t', trace, ...(parallel ? ['-p', stats] : [])];
    const server = await lab.startServer({ binary, image, flags });
    try {
      const [read] = await queuedWhileStopped(server, [['read', '--lba', '0', '--sectors', String(SECTORS)]]);
      expect(read!.code).toBe(0);
      await sleep(400); // the trace is flushed 100 ms after the last request
      const reads = parseTrace(readFileSync(trace, 'utf8')).records.filter((r) => r.command === 0x24);
      expect(reads).toHaveLength(WINDOW);
      expect(maxInFlight(reads)).toBe(parallel ? WINDOW : 1);
      if (parallel) {
        expect(parseParallelStats(readFileSync(stats, 'utf8'))).toMatchObject({
          maxBatch: WINDOW, // one receive batch
          maxInflight: WINDOW,
          maxMerge: WINDOW, // one submission for all 64 requests
          ioOps: 1,
          ioRequests: WINDOW,
        });
      }
    } finally {
      await lab.stopServer(server);
    }
  }, 60_000);

  test('reads queued behind writes to the same sectors return the written data', async () => {
    const stats = join(dir, `stats-order-${name}.txt`);
    // room for both windows in one receive batch
    const flags = ['-b', String(2 * WINDOW), ...(parallel ? ['-p', stats] : [])];
    const server = await lab.startServer({ binary, image, flags });
    try {
      const region = ['--lba', '4096', '--sectors', String(SECTORS)];
      expect((await lab.probe(['write', ...region, '--seed', '1'])).code).toBe(0);
      const [write, verify] = await queuedWhileStopped(server, [
        ['write', ...region, '--seed', '2'],
        ['verify', ...region, '--seed', '2'],
      ]);
      expect(write!.code).toBe(0);
      expect(AoeLab.event(verify!, 'verify')).toMatchObject({ mismatched_sectors: 0 });
      if (parallel) {
        await sleep(400);
        expect(parseParallelStats(readFileSync(stats, 'utf8'))).toMatchObject({
          maxBatch: 2 * WINDOW, // writes and reads in one batch
          deferred: WINDOW, // every read waited for the write to its sectors
        });
      }
    } finally {
      await lab.stopServer(server);
    }
  }, 60_000);
});
