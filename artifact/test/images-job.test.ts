// SPDX-License-Identifier: MIT
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import {
  appResults,
  completedJobFrames,
  crystalDiskMarkResults,
  normalisedScores,
  parseBenchFrames,
  parseFioPass,
  writeJobFile,
  type AppFrame,
  type FioFrame,
} from '../images/index.js';

// Transcript of a real job run (guest fio 3.33 in the stock image under QEMU TCG).
const fixture = new URL('./fixtures/guest-job.com1.log', import.meta.url);

describe('benchmark job files', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  test('a valid job is written with defaults filled in and named for fw_cfg', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'job-'));
    dirs.push(dir);
    const entry = await writeJobFile(
      { version: 1, id: 'run-1', seed: 3, apps: { tests: ['mail-copy'], scale: 0.5, passes: 2 } },
      dir,
    );
    expect(entry).toEqual({ name: 'opt/netboot-bench/job.json', path: path.join(dir, 'job.json') });
    expect(JSON.parse(await readFile(entry.path, 'utf8'))).toEqual({
      version: 1,
      id: 'run-1',
      seed: 3,
      powerOff: true,
      apps: { tests: ['mail-copy'], scale: 0.5, passes: 2 },
    });
  });

  test('the RTT trace and the guest AoE disk are job options with checked ranges', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'job-'));
    dirs.push(dir);
    const fio = {
      tests: ['seq-1m' as const],
      sizeMiB: 32,
      passes: 1,
      runtimeSeconds: 2,
      guestAoeDisk: { shelf: 0, slot: 1 },
    };
    const entry = await writeJobFile({ version: 1, id: 'aoe', seed: 1, fio, rtt: { sizeMiB: 8, accesses: 20 } }, dir);
    expect(JSON.parse(await readFile(entry.path, 'utf8'))).toMatchObject({ fio, rtt: { sizeMiB: 8, accesses: 20 } });
    await expect(
      writeJobFile({ version: 1, id: 'aoe', seed: 1, fio: { ...fio, guestAoeDisk: { shelf: 0, slot: 255 } } }, dir),
    ).rejects.toThrow(/fio.guestAoeDisk.slot/);
    await expect(
      writeJobFile({ version: 1, id: 'aoe', seed: 1, rtt: { sizeMiB: 8, accesses: 0 } }, dir),
    ).rejects.toThrow(/rtt.accesses/);
  });

  test('an invalid job is refused with every problem and nothing is written', async () => {
    const dir = path.join(os.tmpdir(), `job-never-${process.pid}`);
    await expect(
      writeJobFile(
        // @ts-expect-error: deliberately wrong test names and types
        { version: 1, id: 'bad id!', seed: -1, fio: { tests: ['seq-2m'], sizeMiB: 0, passes: 1, runtimeSeconds: 1 } },
        dir,
      ),
    ).rejects.toThrow(/id: use 1-64 letters[\s\S]*seed[\s\S]*fio.tests.0[\s\S]*fio.sizeMiB/);
    await expect(writeJobFile({ version: 1, id: 'empty', seed: 1 }, dir)).rejects.toThrow(
      /needs "fio", "rtt" or "apps"/,
    );
    await expect(readFile(path.join(dir, 'job.json'))).rejects.toThrow(/ENOENT/);
  });
});

describe('result frames and their parsers', () => {
  test('frames of a real guest run parse into fio passes and app timings', async () => {
    const transcript = await readFile(fixture, 'latin1');
    const frames = completedJobFrames(transcript, 'dev');
    const passes = frames.filter((f): f is FioFrame => f.type === 'fio').map(parseFioPass);
    expect(passes.map((p) => `${p.test}/${p.rw}/${p.pass}`)).toEqual([
      'seq-1m/read/1',
      'seq-1m/write/1',
      'rand-4k/read/1',
      'rand-4k/write/1',
    ]);
    expect(passes[3]).toEqual({
      test: 'rand-4k',
      rw: 'write',
      pass: 1,
      fioVersion: 'fio-3.33',
      mbPerSecond: 1.30471,
      iops: 318.532819,
      bytes: 1351680,
      runtimeMs: 1036,
      meanLatencyUs: 2894.081869697,
    });
    const apps = appResults(frames.filter((f): f is AppFrame => f.type === 'app'));
    expect(apps.map((a) => a.test)).toEqual([
      'defender-scan',
      'app-loading',
      'music-import',
      'audio-encode',
      'mail-search',
      'mail-copy',
    ]);
    expect(apps.find((a) => a.test === 'mail-copy')?.seconds).toBeCloseTo(0.5371165960000042, 12);
  });

  test('a frame cut by another writer is rejected, not dropped or misread', () => {
    const good = '{"id":"x","type":"job-start","uptime":1}';
    const cut = '{"id":"x","type":"jo[ 12.3] kernel says hi\r\nb-start","uptime":1}';
    const { frames, rejected } = parseBenchFrames(
      `@@BENCH ${good.length} ${good}\r\n@@BENCH ${good.length} ${cut}\r\n@@BENCH 3 {"a"\n`,
    );
    expect(frames).toEqual([{ type: 'job-start', id: 'x', uptime: 1 }]);
    expect(rejected).toHaveLength(2);
    expect(() => completedJobFrames(`@@BENCH ${good.length} ${good}\n`, 'x')).toThrow(/no job-end frame for job "x"/);
    const error = '{"message":"Traceback: fio failed","type":"error"}';
    expect(() => completedJobFrames(`@@BENCH ${error.length} ${error}\n`, 'x')).toThrow(
      /guest error: Traceback: fio failed/,
    );
  });

  test("a boot session's transcript holds several jobs: each job's frames are its own, and another job's error is not its", () => {
    const line = (frame: object) => {
      const json = JSON.stringify(frame);
      return `@@BENCH ${json.length} ${json}`;
    };
    const app = (test: string) => ({ bytes: 1, files: 1, pass: 1, seconds: 2, test, type: 'app' });
    const transcript = [
      line({ id: 'a', type: 'job-start', uptime: 1 }),
      line(app('mail-copy')),
      line({ id: 'a', ok: true, type: 'job-end', uptime: 2 }),
      'root@debian:~# python3 runner.py b',
      line({ id: 'b', type: 'job-start', uptime: 3 }),
      line(app('web-render')),
      line({ message: 'Traceback: w3m failed', type: 'error' }),
      line({ id: 'b', ok: false, type: 'job-end', uptime: 4 }),
    ].join('\r\n');
    expect(completedJobFrames(transcript, 'a').map((f) => (f.type === 'app' ? f.test : f.type))).toEqual([
      'job-start',
      'mail-copy',
      'job-end',
    ]);
    expect(() => completedJobFrames(transcript, 'b')).toThrow(/guest error: Traceback: w3m failed/);
  });

  test('CrystalDiskMark reporting takes the best pass; app scores normalise to the reference', () => {
    const pass = (mb: number, n: number) => ({
      test: 'seq-1m' as const,
      rw: 'read' as const,
      pass: n,
      fioVersion: 'fio-3.33',
      mbPerSecond: mb,
      iops: 1,
      bytes: 1,
      runtimeMs: 1,
      meanLatencyUs: 1,
    });
    const [seq] = crystalDiskMarkResults([pass(40, 1), pass(45.8, 2), pass(44, 3)]);
    expect(seq?.bestMbPerSecond).toBe(45.8);
    expect(seq?.passes).toHaveLength(3);
    const local = [{ test: 'mail-search' as const, seconds: 2, passes: [2] }];
    const remote = [{ test: 'mail-search' as const, seconds: 4, passes: [4] }];
    expect(normalisedScores(remote, local)).toEqual([{ test: 'mail-search', score: 0.5 }]);
    expect(() => normalisedScores(remote, [])).toThrow(/no reference result for app test "mail-search"/);
  });
});
