// SPDX-License-Identifier: MIT
import { z } from 'zod';
import { appTestNames, fioTestNames } from './guest-job.js';

/** The client's hardware as the guest saw it (guest/netboot-bench/inventory.py); the manifest keeps it. */
export const clientHardwareSchema = z.object({
  cpu: z.object({ model: z.string(), logicalCpus: z.number().int(), svm: z.boolean(), hypervisorFlag: z.boolean() }),
  memoryBytes: z.number(),
  disks: z.array(z.object({ name: z.string(), model: z.string(), bytes: z.number(), rotational: z.boolean() })),
  nics: z.array(z.object({ name: z.string(), pciId: z.string(), driver: z.string(), mac: z.string() })),
  firmware: z.object({ kind: z.enum(['bios', 'uefi']), vendor: z.string(), version: z.string(), product: z.string() }),
  kernel: z.string(),
});
export type ClientHardware = z.infer<typeof clientHardwareSchema>;

/** What guest/netboot-bench/frames.py prints: "@@BENCH <length> <json>" on ttyS0. */
const frameLine = /@@BENCH (\d+) (.*)$/;

const frameSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('job-start'), id: z.string(), uptime: z.number() }),
  z.object({ type: z.literal('job-end'), id: z.string(), ok: z.boolean(), uptime: z.number() }),
  z.object({ type: z.literal('error'), message: z.string() }),
  clientHardwareSchema.extend({ type: z.literal('client-hardware') }),
  z.object({
    type: z.literal('fio'),
    test: z.enum(fioTestNames),
    rw: z.enum(['read', 'write']),
    pass: z.number().int(),
    fio: z.unknown(),
  }),
  z.object({
    type: z.literal('rtt'),
    accesses: z.number().int(),
    /** The guest block layer's limits for /dev/sda: they decide how one access splits into ATA commands. */
    queue: z.record(z.string(), z.number()),
    fio: z.unknown(),
  }),
  z.object({
    type: z.literal('app'),
    test: z.enum(appTestNames),
    pass: z.number().int(),
    seconds: z.number(),
    files: z.number(),
    bytes: z.number(),
  }),
]);

export type BenchFrame = z.infer<typeof frameSchema>;
export type FioFrame = Extract<BenchFrame, { type: 'fio' }>;
export type AppFrame = Extract<BenchFrame, { type: 'app' }>;
export type RttFrame = Extract<BenchFrame, { type: 'rtt' }>;

/**
 * Frames from a guest console transcript. A line whose length does not match (another writer
 * cut into it) or whose JSON is not a known frame goes to `rejected`, never silently dropped.
 */
export function parseBenchFrames(transcript: string): { frames: BenchFrame[]; rejected: string[] } {
  const frames: BenchFrame[] = [];
  const rejected: string[] = [];
  for (const rawLine of transcript.split('\n')) {
    const line = rawLine.replace(/\r+$/, '');
    const match = frameLine.exec(line);
    if (match === null) continue;
    const json = match[2]!;
    if (json.length !== Number(match[1])) {
      rejected.push(line);
      continue;
    }
    try {
      const parsed = frameSchema.safeParse(JSON.parse(json));
      if (parsed.success) frames.push(parsed.data);
      else rejected.push(line);
    } catch {
      rejected.push(line);
    }
  }
  return { frames, rejected };
}

/**
 * The frames of one finished job: those from its job-start frame to its job-end frame, so that
 * other jobs of the same boot session (and their errors) do not count. Throws with the reason
 * when the job failed or is incomplete.
 */
export function completedJobFrames(transcript: string, jobId: string): BenchFrame[] {
  const lines = transcript.split('\n');
  const frameOf = (line: string) => parseBenchFrames(line).frames[0];
  const isFrame = (type: 'job-start' | 'job-end') => (line: string) => {
    const frame = frameOf(line);
    return frame?.type === type && frame.id === jobId;
  };
  const first = lines.findIndex(isFrame('job-start'));
  const last = lines.findIndex(isFrame('job-end'));
  const span = lines.slice(Math.max(first, 0), last < 0 ? undefined : last + 1).join('\n');
  const { frames, rejected } = parseBenchFrames(span);
  const problems = [
    ...rejected.map((l) => `corrupted frame line: ${l.slice(0, 120)}`),
    ...frames.filter((f) => f.type === 'error').map((f) => `guest error: ${f.message}`),
  ];
  if (last < 0) problems.push(`no job-end frame for job "${jobId}" (the guest did not finish the job)`);
  if (problems.length > 0) throw new Error(`benchmark job "${jobId}" failed:\n  ${problems.join('\n  ')}`);
  return frames;
}
