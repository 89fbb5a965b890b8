// SPDX-License-Identifier: MIT
// One style, checked: clang-format (.clang-format) for the C of vmm/, common/ and server/, and
// Prettier (.prettierrc.json) for the TypeScript. `npm run format` rewrites; the test
// artifact/test/format.test.ts (part of `npm test`, so of CI) checks.
import { execFileSync } from 'node:child_process';
import { repoRoot } from './core/paths.js';

const tracked = (...patterns: string[]) =>
  execFileSync('git', ['ls-files', ...patterns], { cwd: repoRoot, encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);

export const formattedC = () => tracked('vmm/*.c', 'vmm/*.h', 'common/*.c', 'common/*.h', 'server/*.c', 'server/*.h');
export const formattedTypeScript = () => tracked('*.ts', '*.cjs');

/** Checks (write false) or rewrites (write true) every formatted file; throws with the tools' output on a difference. */
export function format(write: boolean): void {
  const options = { cwd: repoRoot, stdio: 'pipe' as const, encoding: 'utf8' as const };
  const c = formattedC();
  const ts = formattedTypeScript();
  execFileSync('clang-format', write ? ['-i', ...c] : ['--dry-run', '--Werror', ...c], options);
  execFileSync('npx', ['prettier', write ? '--write' : '--check', '--log-level', 'warn', ...ts], options);
}
