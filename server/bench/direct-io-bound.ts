// SPDX-License-Identifier: MIT
// Benchmark: how close a cache-off server can come to its cache-on speed at queue depth 1 on this
// host (issue 21 item 3, goals P2 and P3). With O_DIRECT each 4 KiB command of Fig. 5's random
// tests waits for one read or write of the backing store, one after another; a server that added
// nothing else would serve a command in t_on + t_disk, so cache-off / cache-on cannot exceed
// t_on / (t_on + t_disk) there, whatever the server does. Measures t_disk as the servers meet it
// (fio: 4 KiB, queue depth 1, O_DIRECT, through a loop device with direct I/O as the experiments
// use, over a scratch file of random data), 3 interleaved repetitions of reads and writes, and
// puts it against one run's Fig. 5 4 KiB rows of aoe-parallel. Run as root on an idle machine:
//   npx tsx server/bench/direct-io-bound.ts <run-id> [--reps N]
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { $ } from 'zx';
import { scalar } from '../../artifact/core/analysis.js';
import { fmt } from '../../artifact/core/claims.js';
import { describeMachine } from '../../artifact/core/machine-description.js';
import { paths } from '../../artifact/core/paths.js';
import { existingRun } from '../../artifact/core/run-folder.js';
import { fig05 } from '../../artifact/core/speed-goals.js';
import { summarise, type Summary } from '../../artifact/core/statistics.js';
import { readAnalyses } from '../../artifact/stages/analyse.js';
import { experiments } from '../../experiments/registry.js';

const usage = 'usage: npx tsx server/bench/direct-io-bound.ts <run-id> [--reps N]';
const [runId, ...rest] = process.argv.slice(2);
if (runId === undefined) throw new Error(usage);
if (rest.length > 0 && (rest.length !== 2 || rest[0] !== '--reps')) throw new Error(usage);
const reps = rest.length > 0 ? Number(rest[1]) : 3;
if (!Number.isInteger(reps) || reps < 1) throw new Error(usage);
if ((await $`command -v fio`.nothrow().quiet()).exitCode !== 0)
  throw new Error('fio is missing: run `bash artifact/bootstrap.sh` (it installs fio), or `apt-get install fio`');

/** The highest cache-off / cache-on ratio at queue depth 1: the command time grows by the store's. */
const zeroCostRatio = (commandMs: number, storeMs: number) => commandMs / (commandMs + storeMs);

const bytesPerCommand = 4096;
const tests = [
  { rw: 'randread', side: 'read', metric: 'rand4k-read' },
  { rw: 'randwrite', side: 'write', metric: 'rand4k-write' },
] as const;

const analyses = await readAnalyses(await existingRun(runId), experiments);
const fig5 = analyses.get(fig05);
const row = (configuration: 'vmm-aoe-parallel-cache-on' | 'vmm-aoe-parallel-cache-off', metric: string) => {
  const point = fig5 && scalar(fig5, configuration, metric);
  if (!point) throw new Error(`${runId} has no Fig. 5 ${metric} for ${configuration}: run Fig. 5 with that row first`);
  return point;
};

const scratchDir = path.join(paths.cache, 'scratch');
await mkdir(scratchDir, { recursive: true });
const store = path.join(scratchDir, `direct-io-bound-${process.pid}.img`);
await $`dd if=/dev/urandom of=${store} bs=1M count=512 conv=fsync status=none`;
const loop = (await $`losetup -f --show --direct-io=on ${store}`.quiet()).stdout.trim();
const latencyMs: Record<string, number[]> = { read: [], write: [] };
try {
  for (let rep = 1; rep <= reps; rep++)
    for (const test of tests) {
      const out =
        await $`fio --name=bound --filename=${loop} --direct=1 --rw=${test.rw} --bs=${bytesPerCommand} --iodepth=1 --ioengine=psync --runtime=10 --time_based --output-format=json`.quiet();
      // fio may print a warning line before its JSON
      const job = (
        JSON.parse(out.stdout.slice(out.stdout.indexOf('{'))) as {
          jobs: Record<string, { clat_ns: { mean: number } }>[];
        }
      ).jobs[0]!;
      latencyMs[test.side]!.push(job[test.side]!.clat_ns.mean / 1e6);
      console.log(`rep ${rep}: ${test.rw} ${fmt(latencyMs[test.side]!.at(-1)! * 1000)} us per 4 KiB`);
    }
} finally {
  await $`losetup -d ${loop}`.quiet();
  await rm(store, { force: true });
}

const interval = (s: Summary, show: (v: number) => string) =>
  s.ciLow === null || s.ciHigh === null
    ? show(s.mean)
    : `${show(s.mean)} [95 % CI ${show(s.ciLow)}, ${show(s.ciHigh)}]`;
console.log(
  `\nThe backing store at queue depth 1 against run ${runId}'s Fig. 5 (aoe-parallel), ${reps} repetitions:\n`,
);
console.log(
  "| Test | Store per 4 KiB (us) | Cache-on command (ms) | Highest cache-off / cache-on | Run's cache-off / cache-on |",
);
console.log('|---|---|---|---|---|');
for (const test of tests) {
  const disk = summarise(latencyMs[test.side]!);
  const on = row('vmm-aoe-parallel-cache-on', test.metric);
  const off = row('vmm-aoe-parallel-cache-off', test.metric);
  const commandMs = bytesPerCommand / 1000 / on.mean; // MB/s = bytes per microsecond
  const bound = (storeMs: number | null) => (storeMs === null ? '' : zeroCostRatio(commandMs, storeMs).toFixed(3));
  console.log(
    `| ${test.metric} | ${interval(disk, (v) => fmt(v * 1000))} | ${commandMs.toFixed(3)} | ${bound(disk.mean)}` +
      `${disk.ciLow === null ? '' : ` [${bound(disk.ciHigh)}, ${bound(disk.ciLow)}]`} | ${(off.mean / on.mean).toFixed(3)} |`,
  );
}
console.log(`\nmachine: ${JSON.stringify(describeMachine())}`);
