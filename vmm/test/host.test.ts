// SPDX-License-Identifier: MIT
// Wraps the hypervisor's C host unit tests (vmm/test/host/*.c) into vitest, one test per case.
// The list of programs is host-tests.mk's (make list-host-tests), kept in one place.
import { execFileSync } from 'node:child_process';
import { test } from 'vitest';
import { registerCUnitTests } from '../../artifact/test/support/c-unit.js';

const programs = execFileSync('make', ['-s', '-C', 'vmm', 'list-host-tests'], { encoding: 'utf8' }).trim().split(/\s+/);

for (const name of programs) {
  registerCUnitTests({ makeDir: 'vmm', target: 'host-test', binary: `vmm/build/host/${name}`, label: `vmm ${name}` });
}

test('the host-tested modules also build freestanding, as in the hypervisor, needing no outside symbol', () => {
  execFileSync('make', ['-s', '-C', 'vmm', 'freestanding-check'], { stdio: 'pipe' });
});
