// SPDX-License-Identifier: MIT
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

/** A logger that appends timestamped lines to <run>/logs/<step>.log. */
export function stepLogger(logsDir: string, step: string): (line: string) => void {
  mkdirSync(logsDir, { recursive: true });
  const file = path.join(logsDir, `${step.replaceAll('/', '__')}.log`);
  return (line: string) => appendFileSync(file, `${new Date().toISOString()} ${line}\n`);
}
