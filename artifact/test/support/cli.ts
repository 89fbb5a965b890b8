// SPDX-License-Identifier: MIT
import { spawn } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../../core/paths.js';

/** Runs `artifact/cli.ts <args>` as a user would (through tsx), with extra environment; resolves with its exit code and output. */
export function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      path.join(repoRoot, 'node_modules', '.bin', 'tsx'),
      [path.join(repoRoot, 'artifact', 'cli.ts'), ...args],
      {
        cwd: repoRoot,
        env: { ...process.env, ...env, CI: 'true', NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}
