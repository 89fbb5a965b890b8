// SPDX-License-Identifier: MIT
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ResultFile } from '../../core/results-schema.js';

/** How much of the end of each log a failure message carries. */
const tailChars = 1500;

async function tailOf(file: string): Promise<string | undefined> {
  try {
    const text = await readFile(file, 'latin1');
    // Consoles carry terminal escapes and carriage returns; a test report wants plain lines.
    return text
      .slice(-tailChars)
      .replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')
      .replace(/\r/g, '');
  } catch {
    return undefined;
  }
}

/**
 * The end of a configuration's session log and of every log its sessions left (consoles, QEMU,
 * the server): what an end-to-end test's failure message must carry, since CI keeps the test's
 * output and nothing of the machine's run folder.
 */
export async function sessionEvidence(runDir: string, configuration: string): Promise<string> {
  const parts: string[] = [];
  const add = async (file: string) => {
    const tail = await tailOf(file);
    if (tail !== undefined) parts.push(`--- ${path.relative(runDir, file)} (end)\n${tail}`);
  };
  await add(path.join(runDir, 'logs', `session-${configuration}.log`));
  const sessions = path.join(runDir, 'raw', 'sessions', configuration);
  const reps = await readdir(sessions).catch(() => [] as string[]);
  for (const rep of reps.sort()) {
    const files = await readdir(path.join(sessions, rep)).catch(() => [] as string[]);
    for (const file of files.sort())
      if (file.endsWith('.log') && !file.endsWith('.timed.log')) await add(path.join(sessions, rep, file));
  }
  return parts.length > 0 ? parts.join('\n') : `(no logs of ${configuration} under ${runDir})`;
}

/**
 * Fails when any configuration of the run's results failed, with each one's reason and the
 * evidence of its sessions (sessionEvidence): the first check of an end-to-end run, so that a
 * failure reports why and not only that a later assertion found no numbers.
 */
export async function expectNoFailedConfiguration(runDir: string): Promise<void> {
  const resultsDir = path.join(runDir, 'results');
  const failures: string[] = [];
  // A run that stopped before its results were written fails on its exit code instead.
  const files = await readdir(resultsDir).catch(() => [] as string[]);
  for (const file of files.filter((f) => f.endsWith('.json')).sort()) {
    const result = JSON.parse(await readFile(path.join(resultsDir, file), 'utf8')) as ResultFile;
    for (const entry of result.configurations)
      if (entry.status === 'failed')
        failures.push(
          `${result.experiment}/${entry.configuration} failed: ${entry.reason}\n${await sessionEvidence(runDir, entry.configuration)}`,
        );
  }
  if (failures.length > 0) throw new Error(failures.join('\n\n'));
}
