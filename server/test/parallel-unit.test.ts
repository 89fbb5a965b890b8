// SPDX-License-Identifier: MIT
// aoe-parallel's pure parts (server/parallel: the ATA command table, the AoE target's answers to
// good and bad frames, the merge planner) as C host unit tests, one vitest test per TAP case.
import { registerCUnitTests } from '../../artifact/test/support/c-unit.js';
import { serverDir } from '../lab.js';

registerCUnitTests({
  makeDir: serverDir,
  target: 'parallel-test',
  binary: `${serverDir}build/parallel_test`,
  label: 'aoe-parallel',
});
