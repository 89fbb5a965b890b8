// SPDX-License-Identifier: MIT
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const vmmDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const vmmImage = path.join(vmmDir, 'build/vmm.elf');
export const probeGuestImage = path.join(vmmDir, 'build/guests/realmode-probe.img');

/** Builds the hypervisor and the test guests (make is incremental). */
export function buildHypervisor(): void {
  execFileSync('make', ['-s', '-C', vmmDir, 'all'], { stdio: 'pipe' });
}

export function testLogDir(label: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `vmm-${label}-`));
}

/** The range the hypervisor reports taking ("running at <start>-<end>"), from its console. */
export function hypervisorRange(console: string): { start: bigint; end: bigint } {
  const m = /vmm: running at ([0-9a-f]+)-([0-9a-f]+)/.exec(console);
  if (!m) throw new Error(`hypervisor console has no "running at" line:\n${console}`);
  return { start: BigInt(`0x${m[1]}`), end: BigInt(`0x${m[2]}`) };
}

export interface MemoryRange {
  start: bigint;
  end: bigint; // inclusive
  usable: boolean;
}

/** True when `range` lies inside non-usable entries only, and no usable entry touches it. */
export function isHidden(map: MemoryRange[], range: { start: bigint; end: bigint }): boolean {
  const overlapping = map.filter((e) => e.start <= range.end && range.start <= e.end);
  if (overlapping.some((e) => e.usable)) return false;
  // Covered completely by reserved entries (they may be split).
  let next = range.start;
  for (const e of [...overlapping].sort((a, b) => (a.start < b.start ? -1 : 1))) {
    if (e.start > next) return false;
    if (e.end + 1n > next) next = e.end + 1n;
  }
  return next > range.end;
}
