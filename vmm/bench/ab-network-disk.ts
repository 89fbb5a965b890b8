// SPDX-License-Identifier: MIT
// Benchmark: two hypervisors side by side on the network disk, server cache on. A and B differ in
// their build (--base <rev>: A is the hypervisor of a git revision, e.g. this tree with one change
// reverted, committed on a scratch branch; B is this tree's), in their options (--a-options,
// --b-options: extra words for the hypervisor's command line, e.g. aoe_completion=blocking), or
// both. Each repetition boots stock Debian over AoE once with each, in the order A B, then B A, ...
// (host drift hits both alike), and measures: the time from QEMU's start to the login prompt; in
// the booted guest, reads of the disk with O_DIRECT, sequentially in 1 MiB blocks and 4 KiB at
// queue depth 1 (a first pass over the same range warms the server's page cache; the second is
// timed); and the sequential read again with a CPU-bound shell loop beside it, where it reports
// the read's speed, the loop's speed as a fraction of its speed alone (how much the guest ran
// while its disk worked) and the guest's local-timer interrupts per second (its clock tick is
// 250 Hz while busy). Prints every value, each side's mean with its 95 % interval (Student t), the
// difference of the means (Welch), and the machine description. Run as root, on an otherwise idle
// machine:
//   npx tsx vmm/bench/ab-network-disk.ts --base <rev> [--reps <n>]
//   npx tsx vmm/bench/ab-network-disk.ts --a-options aoe_completion=blocking [--reps <n>]
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
  options: {
    base: { type: 'string' },
    'a-options': { type: 'string', default: '' },
    'b-options': { type: 'string', default: '' },
    reps: { type: 'string', default: '3' },
  },
});
if (options.base === undefined && options['a-options'] === options['b-options'])
  throw new Error('A and B are the same: give --base <rev> (A built from it) and/or different --a-options/--b-options');
const repetitions = Number(options.reps);
if (!Number.isInteger(repetitions) || repetitions < 2)
  throw new Error(`--reps ${options.reps}: give a whole number of at least 2 (an interval needs two values)`);

/** The reads, at LBAs below 2^28 and away from what the boot reads. */
const sequential = { dd: 'bs=1M count=64 skip=1024', bytes: 64 << 20 };
const random4k = { dd: 'bs=4k count=1000 skip=600000', commands: 1000 };
/** How long the CPU-bound loop runs alone to learn its speed. */
const loopAloneSeconds = 5;

const metrics = [
  'boot to login (s)',
  'seq read 1 MiB blocks (MB/s)',
  '4 KiB reads QD1 (ms each)',
  'seq read beside a CPU-bound loop (MB/s)',
  "the loop's speed beside that read (fraction of alone)",
  'guest timer interrupts during that read (per s)',
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

/** Runs `command` in the guest's shell; the numbers it printed as @@NAME=value. */
async function measure(machine: Machine, command: string): Promise<Record<string, number>> {
  const result = await runInShell(machine.consoles.com1, command, { timeoutMs: 10 * 60_000 });
  const values = Object.fromEntries([...result.output.matchAll(/@@(\w+)=([\d.]+)/g)].map((m) => [m[1]!, Number(m[2])]));
  if (result.exitCode !== 0 || Object.keys(values).length === 0)
    throw new Error(`the guest's measurement failed: ${result.output}`);
  return values;
}

const read = (dd: string) => `dd if=/dev/sda of=/dev/null ${dd} iflag=direct status=none`;
const since = (start: string) => `$(awk -v s="${start}" -v e="$(date +%s.%N)" 'BEGIN { print e - s }')`;
const timerInterrupts = `$(awk '/^ *LOC:/ { print $2 }' /proc/interrupts)`;
/** Starts, in the background, a shell loop counting while /tmp/spin exists, its count left in /tmp/spins. */
const startSpinLoop = `touch /tmp/spin; (n=0; while [ -e /tmp/spin ]; do n=$((n+1)); done; echo $n > /tmp/spins) &`;

/** Seconds of a warmed read of `dd`. */
async function timedRead(machine: Machine, dd: string): Promise<number> {
  return (await measure(machine, `${read(dd)}; s=$(date +%s.%N); ${read(dd)}; echo "@@SECONDS=${since('$s')}"`))[
    'SECONDS'
  ]!;
}

/** The sequential read with the loop beside it, and the loop alone for loopAloneSeconds. */
async function readBesideLoop(
  machine: Machine,
): Promise<{ mbs: number; loopFraction: number; ticksPerSecond: number }> {
  const alone = await measure(
    machine,
    `${startSpinLoop} sleep ${loopAloneSeconds}; rm /tmp/spin; wait; echo "@@SPINS=$(cat /tmp/spins)"`,
  );
  const beside = await measure(
    machine,
    [
      `${read(sequential.dd)};`,
      startSpinLoop,
      `t=${timerInterrupts}; s=$(date +%s.%N);`,
      `${read(sequential.dd)};`,
      `echo "@@SECONDS=${since('$s')}"; echo "@@TICKS=$((${timerInterrupts} - t))";`,
      'rm /tmp/spin; wait; echo "@@SPINS=$(cat /tmp/spins)"',
    ].join(' '),
  );
  const seconds = beside['SECONDS']!;
  return {
    mbs: sequential.bytes / seconds / 1e6,
    loopFraction: beside['SPINS']! / seconds / (alone['SPINS']! / loopAloneSeconds),
    ticksPerSecond: beside['TICKS']! / seconds,
  };
}

buildHypervisor();
buildServer();
const base = options.base === undefined ? undefined : buildRevision(options.base);
const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
const withOptions = (words: string) => (words ? ` ${words}` : '');
const sides = [
  {
    label: `A ${base ? `${base.commit} (${options.base})` : `${head} (this tree)`}${withOptions(options['a-options'])}`,
    image: base?.image ?? vmmImage,
    options: options['a-options'],
  },
  {
    label: `B ${head} (this tree)${withOptions(options['b-options'])}`,
    image: vmmImage,
    options: options['b-options'],
  },
];
const results = sides.map(() => metrics.map(() => [] as number[]));
const image = (await ensureDebianImage()).path;
const netns = await createNetns(`bench-ab-${process.pid}`);
try {
  for (let rep = 0; rep < repetitions; rep++) {
    const order = rep % 2 === 0 ? [0, 1] : [1, 0];
    for (const b of order) {
      const disk = privateCopy(image, 'bench-ab');
      const vblade = spawnVblade({ netns: netns.name, ifname: netns.taps[0]!, image: disk.path, shelf: 1, slot: 1 });
      const started = Date.now();
      const machine = await startMachine(
        networkBootClient(
          `bench-ab-${rep}-${b}`,
          { image: disk.path, shelf: 1, slot: 1 },
          { netns: netns.name, tap: netns.taps[0]!, mac: '52:54:00:a0:e0:0a' },
          { kernel: sides[b]!.image, append: `aoe=1.1${withOptions(sides[b]!.options)}` },
        ),
      );
      try {
        await machine.consoles.com1.waitForPrompt(/login: /, 20 * 60_000);
        const bootSeconds = (Date.now() - started) / 1000;
        const sequentialSeconds = await timedRead(machine, sequential.dd);
        const randomSeconds = await timedRead(machine, random4k.dd);
        const loaded = await readBesideLoop(machine);
        const values = [
          bootSeconds,
          sequential.bytes / sequentialSeconds / 1e6,
          (randomSeconds * 1000) / random4k.commands,
          loaded.mbs,
          loaded.loopFraction,
          loaded.ticksPerSecond,
        ];
        for (const [m, value] of values.entries()) results[b]![m]!.push(value);
        console.log(
          `rep ${rep + 1} ${sides[b]!.label}: ${metrics.map((name, m) => `${name} ${values[m]!.toFixed(2)}`).join('; ')}`,
        );
      } finally {
        await machine.kill();
        await stopProcess(vblade.process);
        disk.dispose();
      }
    }
  }
  for (const [m, name] of metrics.entries()) {
    const [a, b] = [summarise(results[0]![m]!), summarise(results[1]![m]!)];
    const d = differenceOfMeans(b, a);
    const interval = (s: { mean: number; ciLow: number | null; ciHigh: number | null }) =>
      `${s.mean.toFixed(2)} [${s.ciLow?.toFixed(2)}, ${s.ciHigh?.toFixed(2)}]`;
    console.log(
      `${name}: A ${interval(a)}, B ${interval(b)}; B - A ${interval({ mean: d.value, ciLow: d.ciLow, ciHigh: d.ciHigh })}; B / A ${(b.mean / a.mean).toFixed(3)} (n = ${repetitions} each, interleaved)`,
    );
  }
  console.log(`machine: ${JSON.stringify(describeMachine())}`);
} finally {
  await netns.destroy();
  base?.remove();
}
