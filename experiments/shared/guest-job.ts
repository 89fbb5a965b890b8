import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { RepetitionContext } from '../../artifact/core/experiment.js';
import { completedJobFrames, writeJobFile, type BenchFrame, type BenchJob } from '../../artifact/images/index.js';
import { clientName, guestConsoleOf, startClient, waitForConsole, type ClientBoot } from './client-pc.js';

/**
 * Boots the client with a benchmark job, handed over through fw_cfg (QEMU PCs) or written into the
 * served image (real PCs); the guest runs it, prints result frames on its console and powers off.
 * The job and console logs stay in the raw folder.
 */
export async function runGuestJob(ctx: RepetitionContext, boot: ClientBoot, job: Omit<BenchJob, 'version' | 'id' | 'seed' | 'powerOff'>, timeoutMs: number): Promise<void> {
  const id = `${ctx.experimentId}-${ctx.configuration}-rep${ctx.repetition}`;
  const jobFile = await writeJobFile({ version: 1, id, seed: ctx.repetition, powerOff: true, ...job }, ctx.rawDir);
  if (boot.handOverJob !== undefined) await boot.handOverJob(jobFile.path);
  const client = await startClient(ctx, boot, boot.handOverJob === undefined ? [jobFile] : []);
  ctx.log(`job ${id}`);
  try {
    // frames.py prints JSON with sorted keys and no spaces, so "uptime" ends the job-end frame:
    // waiting for it (not just for "job-end") keeps a slow console (a nested guest's UART) from
    // being cut off mid-frame by the power-off.
    await waitForConsole(client, /"type":"job-end","uptime":[0-9.]+\}/, timeoutMs, boot.guestConsole);
  } finally {
    await client.powerOff();
  }
}

/** The frames of the job recorded in a raw folder; throws with the guest's reason if it failed. */
export async function readJobFrames(rawDir: string): Promise<BenchFrame[]> {
  const job = JSON.parse(await readFile(path.join(rawDir, 'job.json'), 'utf8')) as { id: string };
  const transcript = await readFile(path.join(rawDir, `${clientName}.${await guestConsoleOf(rawDir)}.log`), 'latin1');
  return completedJobFrames(transcript, job.id);
}
