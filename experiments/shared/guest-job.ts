// SPDX-License-Identifier: MIT
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { completedJobFrames, type BenchFrame } from '../../artifact/images/index.js';
import { clientName, guestConsoleOf } from './client-pc.js';

const quoted = (id: string) => JSON.stringify(id).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The job-start and job-end frames of job `id` as they appear on the console (guest/netboot-bench/
 * frames.py prints JSON with sorted keys and no spaces). Waiting for the end frame's "uptime",
 * its last key, keeps a slow console (a nested guest's UART) from being read before the frame is
 * whole.
 */
export const jobStartFrame = (id: string) => new RegExp(`"id":${quoted(id)},"type":"job-start"`);
export const jobEndFrame = (id: string) =>
  new RegExp(`"id":${quoted(id)},"ok":(true|false),"type":"job-end","uptime":[0-9.]+\\}`);

/** The frames of the job recorded in a raw folder; throws with the guest's reason if it failed. */
export async function readJobFrames(rawDir: string): Promise<BenchFrame[]> {
  const job = JSON.parse(await readFile(path.join(rawDir, 'job.json'), 'utf8')) as { id: string };
  const transcript = await readFile(path.join(rawDir, `${clientName}.${await guestConsoleOf(rawDir)}.log`), 'latin1');
  return completedJobFrames(transcript, job.id);
}
