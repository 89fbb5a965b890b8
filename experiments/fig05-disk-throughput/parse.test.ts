// SPDX-License-Identifier: MIT
import { copyFile, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDiskBenchmark } from '../shared/disk-benchmark.js';

const fixtures = path.join(import.meta.dirname, '..', '..', 'artifact', 'test', 'fixtures');

async function rawFolder(jobId: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'fig05-raw-'));
  await copyFile(path.join(fixtures, 'bench-transcript.log'), path.join(dir, 'client.com1.log'));
  await writeFile(path.join(dir, 'job.json'), JSON.stringify({ id: jobId }));
  return dir;
}

describe('Fig. 5 disk benchmark parser (synthetic fixture transcript)', () => {
  it('turns every fio pass of the paper tests into a MB/s measurement (10^6 bytes)', async () => {
    const measurements = await parseDiskBenchmark(await rawFolder('fixture-job'));
    expect(measurements).toContainEqual({ metric: 'seq-read', unit: 'MB/s', pass: 2, value: 150 });
    expect(measurements).toContainEqual({ metric: 'rand4k-write', unit: 'MB/s', pass: 1, value: 6 });
    expect(new Set(measurements.map((m) => m.metric))).toEqual(
      new Set(['seq-read', 'seq-write', 'rand512k-read', 'rand512k-write', 'rand4k-read', 'rand4k-write']),
    );
    // QD32 is measured by the guest but not in the paper's figure.
    expect(measurements).toHaveLength(12);
  });

  it('refuses a transcript whose job never finished', async () => {
    await expect(parseDiskBenchmark(await rawFolder('another-job'))).rejects.toThrow(
      /no job-end frame for job "another-job"/,
    );
  });
});
