// SPDX-License-Identifier: MIT
import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints each test file's time, slowest first (so drift towards CI's time limit shows early), then
 * the plain closing line CI reads: `tests: N passed, M failed[, K skipped]`.
 */
export default class CiSummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
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
      if (module.state() === 'failed' && failedInModule === 0) failedInModule = 1;
      failed += failedInModule;
    }
    const timed = testModules
      .map((module) => ({ file: module.relativeModuleId, seconds: module.diagnostic().duration / 1000 }))
      .sort((a, b) => b.seconds - a.seconds);
    const total = timed.reduce((sum, entry) => sum + entry.seconds, 0);
    process.stdout.write(`\ntime per test file (s), slowest first; ${total.toFixed(0)} s in all:\n`);
    for (const entry of timed) process.stdout.write(`${entry.seconds.toFixed(1).padStart(8)}  ${entry.file}\n`);
    const tail = skipped ? `, ${skipped} skipped` : '';
    process.stdout.write(`\ntests: ${passed} passed, ${failed} failed${tail}\n`);
  }
}
