// SPDX-License-Identifier: MIT
import { execFileSync } from 'node:child_process';
import { test } from 'vitest';

export interface TapCase {
  ok: boolean;
  name: string;
  diagnostics: string[];
}

/** Parses TAP output of common/test/tap.h: "ok N - name", "not ok N - name", "# diagnostic". */
export function parseTap(output: string): { cases: TapCase[]; planned: number | undefined } {
  const cases: TapCase[] = [];
  let planned: number | undefined;
  let pending: string[] = [];
  for (const line of output.split('\n')) {
    const result = /^(not ok|ok) \d+ - (.*)$/.exec(line);
    const plan = /^1\.\.(\d+)$/.exec(line);
    if (result) {
      cases.push({ ok: result[1] === 'ok', name: result[2]!, diagnostics: pending });
      pending = [];
    } else if (plan) {
      planned = Number(plan[1]);
    } else if (line.startsWith('# ')) {
      pending.push(line.slice(2));
    }
  }
  return { cases, planned };
}

/**
 * Builds a C unit-test program with make and registers one vitest test per TAP case.
 * Runs at collection time so each C case shows up (and fails) on its own.
 */
export function registerCUnitTests(opts: { makeDir: string; target: string; binary: string; label: string }): void {
  let output: string;
  let buildError: string | undefined;
  try {
    execFileSync('make', ['-s', '-C', opts.makeDir, opts.target], { stdio: 'pipe' });
    output = runBinary(opts.binary);
  } catch (error) {
    buildError = String((error as { stderr?: Buffer }).stderr ?? error);
    output = '';
  }
  if (buildError !== undefined) {
    test(`${opts.label}: builds and runs`, () => {
      throw new Error(buildError);
    });
    return;
  }
  const { cases, planned } = parseTap(output);
  test(`${opts.label}: ran every planned case`, () => {
    if (planned === undefined || planned !== cases.length || cases.length === 0) {
      throw new Error(`TAP plan ${planned} does not match ${cases.length} cases:\n${output}`);
    }
  });
  for (const c of cases) {
    test(`${opts.label}: ${c.name}`, () => {
      if (!c.ok) throw new Error(c.diagnostics.join('\n') || 'failed');
    });
  }
}

/** The program's TAP output; a program that died (a sanitizer's abort) adds its stderr as diagnostics. */
function runBinary(binary: string): string {
  try {
    return execFileSync(binary, { encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    // A failing case makes the program exit 1; its TAP output still says which case failed.
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    if (typeof stdout === 'string' && stdout.length > 0)
      return (
        stdout +
        (stderr
          ? `\n${stderr
              .split('\n')
              .map((l) => `# ${l}`)
              .join('\n')}`
          : '')
      );
    throw error;
  }
}
