// SPDX-License-Identifier: MIT
// The C fuzz harnesses (AoE codec, the AoE client's receive path, the ATA channel) under ASan and
// UBSan, each over its fixed seeds and bounded inputs: one vitest test per seed. `npm run fuzz`
// runs them far longer. (The codec's harness lives in common/aoe; vitest collects it here.)
import path from 'node:path';
import { registerCUnitTests } from '../../artifact/test/support/c-unit.js';
import { fuzzHarnesses } from '../../artifact/commands/fuzz.js';
import { repoRoot } from '../../artifact/core/paths.js';

for (const harness of fuzzHarnesses) {
  registerCUnitTests({
    makeDir: path.join(repoRoot, harness.makeDir),
    target: harness.makeTarget,
    binary: path.join(repoRoot, harness.binary),
    label: `fuzz ${harness.label}`,
  });
}
