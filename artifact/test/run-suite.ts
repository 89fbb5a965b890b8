// SPDX-License-Identifier: MIT
// `npm test`: the whole suite in one vitest run. Test files that failed before collecting a single
// test (their worker or their import failed: no test ran, so no test can have been flaky) are run
// once more in a fresh vitest process, but only when nothing else failed. A CI run once lost its
// last 50 files that way after 26 minutes of passing tests, which the same tree never showed in a
// clean clone here. A real import error fails the second run too, so the suite still fails.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { $ } from 'zx';
import { suiteSummaryEnv, type SuiteSummary } from './ci-reporter.js';

async function vitestRun(
  files: readonly string[],
  summaryFile: string,
): Promise<{ exitCode: number; summary?: SuiteSummary }> {
  await rm(summaryFile, { force: true });
  const { exitCode } = await $({
    stdio: 'inherit',
    nothrow: true,
    env: { ...process.env, [suiteSummaryEnv]: summaryFile },
  })`vitest run ${files}`;
  const summary = await readFile(summaryFile, 'utf8').then(
    (text) => JSON.parse(text) as SuiteSummary,
    () => undefined,
  );
  return { exitCode: exitCode ?? 1, summary };
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'netboot-suite-'));
try {
  const summaryFile = path.join(dir, 'summary.json');
  const first = await vitestRun(process.argv.slice(2), summaryFile);
  let exitCode = first.exitCode;
  const uncollected = first.summary?.uncollected ?? [];
  if (exitCode !== 0 && uncollected.length > 0 && first.summary?.otherFailures === 0) {
    process.stdout.write(
      `\nrun-suite: ${uncollected.length} test file(s) failed before collecting a test, and nothing else failed; ` +
        `running them once more in a fresh vitest process:\n${uncollected.map((file) => `  ${path.relative(process.cwd(), file)}`).join('\n')}\n`,
    );
    exitCode = (await vitestRun(uncollected, summaryFile)).exitCode;
  }
  process.exitCode = exitCode;
} finally {
  await rm(dir, { recursive: true, force: true });
}
