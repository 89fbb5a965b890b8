// SPDX-License-Identifier: MIT
// Benchmark: two hypervisor builds side by side on the network disk, server cache on. A is the
// hypervisor of a git revision, e.g. this tree with one change reverted (git revert --no-commit,
// commit it on a scratch branch, pass its hash); B is this tree's. Each repetition boots stock
// Debian over AoE once with each build, in the order A B, then B A, ... (host drift hits both
// alike), and in each boot reads the disk with O_DIRECT: sequentially in 1 MiB blocks, and 4 KiB
// at queue depth 1. A first pass over the same range warms the server's page cache; the second is
// timed. Prints every value, each build's mean with its 95 % interval (Student t), the difference
// of the means (Welch), and the machine description. Both builds are booted with `aoe=1.1` only,
// so older revisions run too. Run as root, on an otherwise idle machine:
//   npx tsx vmm/bench/ab-network-disk.ts --base <rev> [--reps <n>]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { describeMachine } from '../../artifact/core/machine-description.js';
import { differenceOfMeans, summarise } from '../../artifact/core/statistics.js';
import { ensureDebianImage } from '../../artifact/images/index.js';
import { createNetns, runInShell, startMachine, type Machine } from '../../artifact/testbed/index.js';
import { buildServer, spawnVblade, stopProcess } from '../../server/lab.js';
import { buildHypervisor, vmmImage } from '../test/support/hypervisor.js';
import { networkBootClient, privateCopy } from '../test/support/network-boot.js';

const { values: options } = parseArgs({
  options: { base: { type: 'string' }, reps: { type: 'string', default: '3' } },
});
if (options.base === undefined) throw new Error('--base <rev>: give the git revision whose hypervisor is A');
const baseRevision = options.base;
const repetitions = Number(options.reps);
if (!Number.isInteger(repetitions) || repetitions < 2)
  throw new Error(`--reps ${options.reps}: give a whole number of at least 2 (an interval needs two values)`);

/** The workloads, at LBAs below 2^28 and away from what the boot reads. */
const workloads = [
  { name: 'seq read 1 MiB blocks (MB/s)', dd: 'bs=1M count=64 skip=1024', bytes: 64 << 20 },
  { name: '4 KiB reads QD1 (ms each)', dd: 'bs=4k count=1000 skip=600000', bytes: 4096 * 1000, perCommand: 1000 },
] as const;

/** Builds `revision`'s hypervisor in a detached worktree; returns its image and how to remove it. */
function buildRevision(revision: string): { image: string; commit: string; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vmm-ab-'));
  execFileSync('git', ['worktree', 'add', '--detach', dir, revision], { stdio: 'pipe' });
  const commit = execFileSync('git', ['-C', dir, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  execFileSync('make', ['-s', '-C', path.join(dir, 'vmm'), 'build/vmm.elf'], { stdio: 'pipe' });
  return {
    image: path.join(dir, 'vmm', 'build', 'vmm.elf'),
    commit,
    remove: () => {
      execFileSync('git', ['worktree', 'remove', '--force', dir], { stdio: 'pipe' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs dd twice over the same range (the first warms the server's cache); seconds of the second. */
async function timedRead(machine: Machine, dd: string): Promise<number> {
  const read = `dd if=/dev/sda of=/dev/null ${dd} iflag=direct status=none`;
  const elapsed = `awk -v s="$s" -v e="$e" 'BEGIN { print e - s }'`;
  const command = `${read}; s=$(date +%s.%N); ${read}; e=$(date +%s.%N); echo "@@SECONDS=$(${elapsed})"`;
  const result = await runInShell(machine.consoles.com1, command, { timeoutMs: 10 * 60_000 });
  const seconds = /@@SECONDS=([\d.]+)/.exec(result.output);
  if (result.exitCode !== 0 || !seconds) throw new Error(`the guest's dd failed: ${result.output}`);
  return Number(seconds[1]);
}

buildHypervisor();
buildServer();
const base = buildRevision(baseRevision);
const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
const builds = [
  { label: `A ${base.commit} (${baseRevision})`, image: base.image },
  { label: `B ${head} (this tree)`, image: vmmImage },
];
const results = builds.map(() => workloads.map(() => [] as number[]));
const image = (await ensureDebianImage()).path;
const netns = await createNetns(`bench-ab-${process.pid}`);
try {
  for (let rep = 0; rep < repetitions; rep++) {
    const order = rep % 2 === 0 ? [0, 1] : [1, 0];
    for (const b of order) {
      const disk = privateCopy(image, 'bench-ab');
      const vblade = spawnVblade({ netns: netns.name, ifname: netns.taps[0]!, image: disk.path, shelf: 1, slot: 1 });
      const machine = await startMachine(
        networkBootClient(
          `bench-ab-${rep}-${b}`,
          { image: disk.path, shelf: 1, slot: 1 },
          { netns: netns.name, tap: netns.taps[0]!, mac: '52:54:00:a0:e0:0a' },
          { kernel: builds[b]!.image },
        ),
      );
      try {
        await machine.consoles.com1.waitForPrompt(/login: /, 20 * 60_000);
        for (const [w, workload] of workloads.entries()) {
          const seconds = await timedRead(machine, workload.dd);
          const value =
            'perCommand' in workload ? (seconds * 1000) / workload.perCommand : workload.bytes / seconds / 1e6;
          results[b]![w]!.push(value);
          console.log(`rep ${rep + 1} ${builds[b]!.label}: ${workload.name} ${value.toFixed(2)}`);
        }
      } finally {
        await machine.kill();
        await stopProcess(vblade.process);
        disk.dispose();
      }
    }
  }
  for (const [w, workload] of workloads.entries()) {
    const [a, b] = [summarise(results[0]![w]!), summarise(results[1]![w]!)];
    const d = differenceOfMeans(b, a);
    const interval = (s: { mean: number; ciLow: number | null; ciHigh: number | null }) =>
      `${s.mean.toFixed(2)} [${s.ciLow?.toFixed(2)}, ${s.ciHigh?.toFixed(2)}]`;
    console.log(
      `${workload.name}: A ${interval(a)}, B ${interval(b)}; B - A ${interval({ mean: d.value, ciLow: d.ciLow, ciHigh: d.ciHigh })}; B / A ${(b.mean / a.mean).toFixed(3)} (n = ${repetitions} each, interleaved)`,
    );
  }
  console.log(`machine: ${JSON.stringify(describeMachine())}`);
} finally {
  await netns.destroy();
  base.remove();
}
