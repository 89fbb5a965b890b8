// SPDX-License-Identifier: MIT
import { defineConfig } from 'vitest/config';

// One runner for everything: TypeScript unit tests, wrappers around the C host unit tests,
// and integration tests that boot QEMU. Files run one at a time: the machine has 2 cores
// and the integration tests each start QEMU.
export default defineConfig({
  test: {
    include: [
      'artifact/test/**/*.test.ts',
      'experiments/**/*.test.ts',
      'vmm/test/**/*.test.ts',
      'server/test/**/*.test.ts',
    ],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 30 * 60_000,
    reporters: ['default', './artifact/test/ci-reporter.ts'],
  },
});
