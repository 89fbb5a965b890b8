// SPDX-License-Identifier: MIT
import { mkdir } from 'node:fs/promises';
import type { RepetitionContext } from '../../artifact/core/experiment.js';
import { tunables } from '../../artifact/core/tunables.js';
import { parseFioPass, writeJobFile } from '../../artifact/images/index.js';
import { servedTarget } from './aoe-server.js';
import { clientConfigurations } from './client-configurations.js';
import { readJobFrames } from './guest-job.js';

const yardstickJobId = 'disk-profile-yardstick';
const jobTimeoutMs = 10 * 60_000;

/**
 * The scaled disk profile's yardstick (artifact/core/disk-profile.ts): this testbed's network as
 * the guest's own Linux AoE initiator sees it. One boot of the guest-aoe-initiator client, whose
 * local disk and server disk are the plain image files (no model: the yardstick must not depend on
 * the scale it sets), runs fio seq 1M reads on the served disk with the server's cache on.
 * Returns MB/s per read pass; raw output stays in ctx.rawDir.
 *
 * Why this configuration: no claim judges it (C1, C4 and C5 compare the hypervisor's rows with the
 * local disk), so k cannot make a verdict hold by construction.
 */
export async function measureYardstick(ctx: RepetitionContext): Promise<number[]> {
  const unmodelled: RepetitionContext = {
    ...ctx,
    configuration: 'guest-aoe-initiator',
    options: { ...ctx.options, profile: 'emulated' },
  };
  await mkdir(ctx.rawDir, { recursive: true });
  const file = await writeJobFile(
    {
      version: 1,
      id: yardstickJobId,
      seed: 1,
      powerOff: false,
      fio: { ...tunables.diskProfileYardstick, tests: ['seq-1m'], guestAoeDisk: servedTarget },
    },
    ctx.rawDir,
  );
  const job = { id: yardstickJobId, path: file.path };
  await clientConfigurations['guest-aoe-initiator'].boot(unmodelled, [job], (client) => {
    ctx.progress('fio seq 1M reads through the guest AoE initiator');
    return client.runJob(job, jobTimeoutMs);
  });
  return yardstickReads(ctx.rawDir);
}

/** The yardstick's read passes in MB/s (10^6 B/s), from the job's frames in its raw folder. */
export async function yardstickReads(rawDir: string): Promise<number[]> {
  const reads = (await readJobFrames(rawDir))
    .filter((frame) => frame.type === 'fio')
    .map(parseFioPass)
    .filter((pass) => pass.test === 'seq-1m' && pass.rw === 'read')
    .map((pass) => pass.mbPerSecond);
  if (reads.length === 0) throw new Error(`${rawDir}: the yardstick's guest reported no seq 1M read pass`);
  return reads;
}
