// SPDX-License-Identifier: MIT
import { readdir, readFile } from 'node:fs/promises';

/**
 * Command lines of running processes that contain `text` (read from /proc, so no shell of the
 * test's own matches): "nothing of this run is left" without tripping over another test's processes.
 */
export async function processesMentioning(text: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of (await readdir('/proc')).filter((name) => /^\d+$/.test(name))) {
    const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).replaceAll('\0', ' ');
    if (cmdline.includes(text)) found.push(`${pid}: ${cmdline}`);
  }
  return found;
}
