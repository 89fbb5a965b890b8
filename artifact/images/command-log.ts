// SPDX-License-Identifier: MIT
import { appendFile } from 'node:fs/promises';
import { $ } from 'zx';

/**
 * Runs a build command, appends its command line and output to the build log, and throws with
 * the log's path and the output's tail when it fails.
 */
export async function runLogged(logFile: string, argv: string[], env: Record<string, string> = {}): Promise<string> {
  await appendFile(logFile, `\n$ ${argv.join(' ')}\n`);
  const result = await $({ quiet: true, nothrow: true, env: { ...process.env, ...env } })`${argv}`;
  await appendFile(logFile, result.stdout + result.stderr);
  if (result.exitCode !== 0) {
    const tail = (result.stdout + result.stderr).trim().split('\n').slice(-15).join('\n');
    const command = argv.join(' ');
    throw new Error(
      `"${command.length > 160 ? `${command.slice(0, 160)} ...` : command}" failed with exit code ${result.exitCode} (full log: ${logFile}):\n${tail}`,
    );
  }
  return result.stdout;
}
