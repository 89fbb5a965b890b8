// SPDX-License-Identifier: MIT
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '../core/paths.js';

/**
 * The C fuzz harnesses (sanitizer builds; driver in common/test/fuzz.h). Each binary takes
 * `[inputs-per-seed [first-seed [seeds]]]`; `npm test` runs their defaults (3 fixed seeds, a few
 * seconds in all), `npm run fuzz` many more seeds and inputs.
 */
export interface FuzzHarness {
  label: string;
  makeDir: string;
  makeTarget: string;
  binary: string;
  /** inputs per seed in `npm test` (the binary's default) */
  inputs: number;
}

export const fuzzHarnesses: readonly FuzzHarness[] = [
  {
    label: 'AoE codec: aoe_parse',
    makeDir: 'common/aoe',
    makeTarget: 'fuzz',
    binary: 'common/aoe/build/aoe_fuzz',
    inputs: 50_000,
  },
  {
    label: 'AoE client: receive path',
    makeDir: 'vmm',
    makeTarget: 'fuzz',
    binary: 'vmm/build/host/aoe_receive_fuzz',
    inputs: 300,
  },
  {
    label: 'ATA channel: port I/O and DMA',
    makeDir: 'vmm',
    makeTarget: 'fuzz',
    binary: 'vmm/build/host/ata_channel_fuzz',
    inputs: 50_000,
  },
];

export function buildFuzzHarnesses(): void {
  for (const dir of new Set(fuzzHarnesses.map((h) => h.makeDir))) {
    execFileSync('make', ['-s', '-C', path.join(repoRoot, dir), 'fuzz'], { stdio: 'inherit' });
  }
}

export const fuzzUsage =
  'npm run fuzz [-- --seeds N (default 20)] [--first-seed S (default: from the clock)] [--scale K (inputs x K, default 10)]';

/** `npm run fuzz`: every harness over many seeds; prints each seed's line and how to replay a failure. */
export function fuzz(args: readonly string[]): boolean {
  const { values } = parseArgs({
    args: [...args],
    options: { seeds: { type: 'string' }, 'first-seed': { type: 'string' }, scale: { type: 'string' } },
  });
  const number = (name: string, text: string | undefined, fallback: number) => {
    const value = text === undefined ? fallback : Number(text);
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`--${name} must be a positive integer, got '${text}'\n${fuzzUsage}`);
    return value;
  };
  const seeds = number('seeds', values.seeds, 20);
  const firstSeed = number('first-seed', values['first-seed'], Date.now() % 1_000_000_000);
  const scale = number('scale', values.scale, 10);
  buildFuzzHarnesses();
  let allPassed = true;
  for (const harness of fuzzHarnesses) {
    const inputs = harness.inputs * scale;
    process.stdout.write(`\n${harness.label}: seeds ${firstSeed}..${firstSeed + seeds - 1}, ${inputs} inputs each\n`);
    const run = spawnSync(path.join(repoRoot, harness.binary), [String(inputs), String(firstSeed), String(seeds)], {
      stdio: 'inherit',
    });
    if (run.status !== 0) {
      allPassed = false;
      process.stdout.write(
        `FAILED (${run.signal ?? `exit ${run.status}`}); replay one seed with: ${harness.binary} ${inputs} <seed> 1\n`,
      );
    }
  }
  return allPassed;
}
