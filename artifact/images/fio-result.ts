// SPDX-License-Identifier: MIT
import { z } from 'zod';
import type { FioFrame } from './guest-frames.js';
import type { FioTestName } from './guest-job.js';

/** The parts of fio's --output-format=json (fio 3.x) that the throughput figures use. */
const ioStats = z.object({
  io_bytes: z.number(),
  bw_bytes: z.number(),
  iops: z.number(),
  runtime: z.number(),
  lat_ns: z.object({ mean: z.number() }),
});
const fioOutput = z.object({
  'fio version': z.string(),
  jobs: z.array(z.object({ jobname: z.string(), error: z.number(), read: ioStats, write: ioStats })).length(1),
});

export interface FioPass {
  test: FioTestName;
  rw: 'read' | 'write';
  pass: number;
  fioVersion: string;
  /** Decimal megabytes per second (10^6 bytes), as CrystalDiskMark reports. */
  mbPerSecond: number;
  iops: number;
  bytes: number;
  runtimeMs: number;
  meanLatencyUs: number;
}

/** Turns one fio frame into the pass it measured; throws if fio reported an error. */
export function parseFioPass(frame: FioFrame): FioPass {
  const output = fioOutput.parse(frame.fio);
  const job = output.jobs[0]!;
  if (job.error !== 0) throw new Error(`fio job ${job.jobname} reported error ${job.error}`);
  const stats = job[frame.rw];
  return {
    test: frame.test,
    rw: frame.rw,
    pass: frame.pass,
    fioVersion: output['fio version'],
    mbPerSecond: stats.bw_bytes / 1e6,
    iops: stats.iops,
    bytes: stats.io_bytes,
    runtimeMs: stats.runtime,
    meanLatencyUs: stats.lat_ns.mean / 1000,
  };
}

export interface CdmResult {
  test: FioTestName;
  rw: 'read' | 'write';
  /** The best pass, as CrystalDiskMark reports it. */
  bestMbPerSecond: number;
  passes: FioPass[];
}

/** Groups passes by test and direction (in first-seen order) and picks the best of each. */
export function crystalDiskMarkResults(passes: FioPass[]): CdmResult[] {
  const groups = new Map<string, FioPass[]>();
  for (const pass of passes) {
    const key = `${pass.test}/${pass.rw}`;
    groups.set(key, [...(groups.get(key) ?? []), pass]);
  }
  return [...groups.values()].map((group) => ({
    test: group[0]!.test,
    rw: group[0]!.rw,
    bestMbPerSecond: Math.max(...group.map((p) => p.mbPerSecond)),
    passes: group,
  }));
}
