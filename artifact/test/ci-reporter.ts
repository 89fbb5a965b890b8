// SPDX-License-Identifier: MIT
import { writeFileSync } from 'node:fs';
import type { Reporter, SerializedError, TestModule } from 'vitest/node';

/** What artifact/test/run-suite.ts reads after a vitest run (the file named by suiteSummaryEnv). */
export interface SuiteSummary {
  /** Test files (absolute) that failed before collecting a single test: their import or their worker failed. */
  uncollected: string[];
  /** Failed tests, and files that failed outside their tests after collecting some (a beforeAll threw). */
  otherFailures: number;
}
export const suiteSummaryEnv = 'NETBOOT_SUITE_SUMMARY';

const firstLine = (error: SerializedError | undefined) =>
  (error === undefined ? 'no error was reported' : `${error.name ?? 'Error'}: ${error.message}`)
    .split('\n')[0]!
    .slice(0, 240);

/**
 * Prints each test file's time, slowest first (so drift towards CI's time limit shows early), why
 * each file that failed outside its tests failed, then the plain closing line CI reads:
 * `tests: N passed, M failed[, K skipped]`.
 */
export default class CiSummaryReporter implements Reporter {
  /**
   * A file that collects no test is said at once, reason first: CI shows only an excerpt of the
   * output, and a whole run once lost 50 files this way with no reason in sight.
   */
  onTestModuleEnd(module: TestModule): void {
    if (module.state() === 'failed' && module.children.size === 0)
      process.stdout.write(
        `${firstLine(module.errors()[0])} <- ${module.relativeModuleId} FAILED before collecting a test\n`,
      );
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const summary: SuiteSummary = { uncollected: [], otherFailures: 0 };
    const reasons: string[] = [];
    for (const module of testModules) {
      let failedInModule = 0;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failedInModule++;
        else skipped++;
      }
      // A file that failed outside its tests (failed to load, a beforeAll threw and its tests
      // were skipped) must still count as a failure.
      if (module.state() === 'failed' && failedInModule === 0) {
        failedInModule = 1;
        reasons.push(`${module.relativeModuleId}: ${firstLine(module.errors()[0])}`);
        if (module.children.size === 0) summary.uncollected.push(module.moduleId);
        else summary.otherFailures++;
      } else summary.otherFailures += failedInModule;
      failed += failedInModule;
    }
    summary.otherFailures += unhandledErrors.length;
    const timed = testModules
      .map((module) => ({ file: module.relativeModuleId, seconds: module.diagnostic().duration / 1000 }))
      .sort((a, b) => b.seconds - a.seconds);
    const total = timed.reduce((sum, entry) => sum + entry.seconds, 0);
    process.stdout.write(`\ntime per test file (s), slowest first; ${total.toFixed(0)} s in all:\n`);
    for (const entry of timed) process.stdout.write(`${entry.seconds.toFixed(1).padStart(8)}  ${entry.file}\n`);
    if (reasons.length > 0) process.stdout.write(`\nfiles that failed outside their tests:\n${reasons.join('\n')}\n`);
    for (const error of unhandledErrors) process.stdout.write(`unhandled error: ${firstLine(error)}\n`);
    const tail = skipped ? `, ${skipped} skipped` : '';
    process.stdout.write(`\ntests: ${passed} passed, ${failed} failed${tail}\n`);
    const summaryFile = process.env[suiteSummaryEnv];
    if (summaryFile) writeFileSync(summaryFile, JSON.stringify(summary));
  }
}
