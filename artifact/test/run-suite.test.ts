// SPDX-License-Identifier: MIT
// `npm test`'s runner (run-suite.ts) on small throwaway suites: a file whose import fails once is
// run again and the suite passes; a failing test is never run again; an import that always fails
// still fails the suite.
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { $ } from 'zx';
import { repoRoot } from '../core/paths.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A throwaway project with the repository's reporter and the given test files; runs run-suite.ts in it. */
async function runSuite(files: Record<string, string>): Promise<{ exitCode: number; output: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'run-suite-test-'));
  dirs.push(dir);
  await symlink(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'));
  const reporter = path.join(repoRoot, 'artifact/test/ci-reporter.ts');
  await writeFile(
    path.join(dir, 'vitest.config.mjs'),
    `export default { test: { include: ['*.test.ts'], reporters: ['default', ${JSON.stringify(reporter)}] } };\n`,
  );
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text.replaceAll('$DIR', dir));
  const bin = path.join(repoRoot, 'node_modules/.bin');
  const result = await $({
    cwd: dir,
    nothrow: true,
    // The throwaway suites' failures must not reach this run's own output (CI reads it for FAIL).
    quiet: true,
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, NO_COLOR: '1' },
  })`tsx ${path.join(repoRoot, 'artifact/test/run-suite.ts')}`;
  return { exitCode: result.exitCode ?? 1, output: result.stdout + result.stderr };
}

const passing = `import { it, expect } from 'vitest';\nit('adds', () => expect(1 + 1).toBe(2));\n`;
const failsToImportOnce = `import { existsSync, writeFileSync } from 'node:fs';\nimport { it } from 'vitest';
if (!existsSync('$DIR/imported-once')) { writeFileSync('$DIR/imported-once', ''); throw new Error('the first import fails'); }
it('runs the second time', () => {});\n`;
const failsToImportAlways = `throw new Error('this import always fails');\n`;
const failingTest = `import { it, expect } from 'vitest';\nit('fails', () => expect(1).toBe(2));\n`;

describe('npm test runner (run-suite.ts)', () => {
  it('runs a file that failed before collecting a test once more, and passes when it then passes', async () => {
    const { exitCode, output } = await runSuite({ 'a.test.ts': passing, 'b.test.ts': failsToImportOnce });
    expect(output).toMatch(/Error: the first import fails <- b\.test\.ts FAILED before collecting a test/);
    expect(output).toMatch(/run-suite: 1 test file\(s\) failed before collecting a test[^\n]*\n {2}b\.test\.ts/);
    expect(output).toMatch(/tests: 1 passed, 0 failed\n[\s\S]*$/);
    expect(exitCode).toBe(0);
  }, 120_000);

  it('never runs anything again when a test failed', async () => {
    const { exitCode, output } = await runSuite({ 'b.test.ts': failsToImportOnce, 'c.test.ts': failingTest });
    expect(output).not.toMatch(/run-suite:/);
    expect(output).toMatch(/tests: 0 passed, 2 failed/);
    expect(exitCode).not.toBe(0);
  }, 120_000);

  it('fails when the import fails again', async () => {
    const { exitCode, output } = await runSuite({ 'a.test.ts': passing, 'd.test.ts': failsToImportAlways });
    expect(output).toMatch(/run-suite: 1 test file/);
    expect(output.match(/this import always fails <- d\.test\.ts FAILED/g)).toHaveLength(2);
    expect(exitCode).not.toBe(0);
  }, 120_000);
});
