// SPDX-License-Identifier: MIT
// The hard disk timing model's C host unit tests (artifact/testbed/hdd-model/test), and its
// nbdkit filter, which must build against the installed nbdkit.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { expect, test } from 'vitest';
import { paths } from '../core/paths.js';
import { registerCUnitTests } from './support/c-unit.js';

registerCUnitTests({
  makeDir: paths.hddModel,
  target: 'test',
  binary: `${paths.hddModel}/build/hdd_model_test`,
  label: 'hdd model',
});

test('the nbdkit filter builds against the installed nbdkit', () => {
  execFileSync('make', ['-s', '-B', '-C', paths.hddModel, 'filter'], { stdio: 'pipe' });
  expect(existsSync(paths.hddFilter)).toBe(true);
});
