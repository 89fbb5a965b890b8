// SPDX-License-Identifier: MIT
// The shared AoE codec (common/aoe): its C host unit tests, and a freestanding build with the
// hypervisor's flags that must need no outside symbol. (vitest only collects <component>/test,
// so the codec's wrapper lives with its main user, the server tools.)
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { registerCUnitTests } from '../../artifact/test/support/c-unit.js';

const codecDir = fileURLToPath(new URL('../../common/aoe', import.meta.url));

registerCUnitTests({ makeDir: codecDir, target: 'test', binary: `${codecDir}/build/aoe_test`, label: 'aoe codec' });

test('aoe codec builds freestanding (-ffreestanding -mcmodel=kernel) without outside symbols', () => {
  execFileSync('make', ['-s', '-B', '-C', codecDir, 'freestanding'], { stdio: 'pipe' });
  const undefinedSymbols = execFileSync('nm', ['-u', `${codecDir}/build/aoe.freestanding.o`], { encoding: 'utf8' });
  expect(undefinedSymbols.trim()).toBe('');
});
