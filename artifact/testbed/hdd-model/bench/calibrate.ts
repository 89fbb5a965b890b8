// SPDX-License-Identifier: MIT
// Benchmark: the hard disk model against the paper's local disk. Runs Fig. 5's fio job (the
// CrystalDiskMark rows, --quick sizes) on the `local` configuration with --profile hdd-2011,
// --reps N times (default 3) in a scratch output folder, and prints each row's values, its mean
// with a 95 % interval, and the paper's local value beside it (the model is calibrated when the
// stated rows are within 10 %). The 4 KiB rows have no stated value: they are printed beside the
// seek-bound rate the model's own parameters give (seek + half a turn + overhead + transfer), from
// the shortest seek (the fio file is small) to an average one over the whole 80 GB drive.
// Run as root, on an otherwise idle machine:
//   npx tsx artifact/testbed/hdd-model/bench/calibrate.ts [--reps <n>]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { $ } from 'zx';
import { describeMachine } from '../../../core/machine-description.js';
import { paths, repoRoot } from '../../../core/paths.js';
import { bestOfPasses, summarise } from '../../../core/statistics.js';
import { hddModelStatsFile } from '../../modelled-disk.js';

const { values: options } = parseArgs({ options: { reps: { type: 'string', default: '3' } } });
const repetitions = Number(options.reps);
if (!Number.isInteger(repetitions) || repetitions < 2)
  throw new Error(`--reps ${options.reps}: give a whole number of at least 2 (an interval needs two values)`);

interface PaperValue {
  configuration: string;
  metric: string;
  kind: string;
  value: number;
}
interface DriveParameters {
  rpm: number;
  mediaMBps: number;
  singleTrackSeekMs: number;
  fullStrokeSeekMs: number;
  readMissOverheadMs: number;
}
interface ResultFile {
  configurations: { configuration: string; measurements: { metric: string; repetition: number; value: number }[] }[];
}

const outputDir = mkdtempSync(path.join(os.tmpdir(), 'hdd-calibrate-'));
try {
  const runId = 'hdd-calibration';
  await $({
    cwd: repoRoot,
    stdio: 'inherit',
    env: { ...process.env, NETBOOT_OUTPUT_DIR: outputDir },
  })`npx tsx artifact/cli.ts reproduce --quick --profile hdd-2011 --only fig05-disk-throughput --configurations local --reps ${repetitions} --run-id ${runId}`;
  const results = JSON.parse(
    readFileSync(path.join(outputDir, 'runs', runId, 'results', 'fig05-disk-throughput.json'), 'utf8'),
  ) as ResultFile;
  const paper = (
    JSON.parse(readFileSync(path.join(paths.paperData, 'fig05-disk-throughput.json'), 'utf8')) as {
      values: PaperValue[];
    }
  ).values.filter((v) => v.configuration === 'local' && v.kind === 'absolute');
  const local = results.configurations.find((c) => c.configuration === 'local')!;

  // The drive as the model ran it, from its own counters file (written by the nbdkit filter).
  const drive = (
    JSON.parse(
      readFileSync(path.join(outputDir, 'runs', runId, 'raw', 'sessions', 'local', 'rep-1', hddModelStatsFile), 'utf8'),
    ) as { drive: DriveParameters }
  ).drive;
  // A read miss of 4 KiB: the firmware, a seek, half a turn on average, the transfer.
  const fourKiBMs = (seekMs: number) =>
    drive.readMissOverheadMs + seekMs + 60_000 / drive.rpm / 2 + (4096 / (drive.mediaMBps * 1e6)) * 1000;
  const seekBound = (seekMs: number) => (4096 / (fourKiBMs(seekMs) / 1000) / 1e6).toFixed(2);
  // The square-root seek curve (hdd_model.c) averages single + (full - single) * 8/15 over random pairs of tracks.
  const averageSeekMs = drive.singleTrackSeekMs + ((drive.fullStrokeSeekMs - drive.singleTrackSeekMs) * 8) / 15;

  console.log(`\nhard disk model (--profile hdd-2011) against the paper's local disk, ${repetitions} repetitions`);
  console.log('row                 values (MB/s, best pass)           mean [95 % interval]   paper   mean/paper');
  const metrics = [...new Set(local.measurements.map((m) => m.metric))];
  for (const metric of metrics) {
    const byRepetition = new Map<number, number[]>();
    for (const m of local.measurements.filter((x) => x.metric === metric))
      byRepetition.set(m.repetition, [...(byRepetition.get(m.repetition) ?? []), m.value]);
    const values = [...byRepetition.values()].map((passes) => bestOfPasses(passes, 'higher'));
    const s = summarise(values);
    const stated = paper.find((v) => v.metric === metric)?.value;
    const ratio =
      stated === undefined
        ? ''
        : `${(s.mean / stated).toFixed(3)}${Math.abs(s.mean / stated - 1) <= 0.1 ? ' (within 10 %)' : ' (OUTSIDE 10 %)'}`;
    const reference =
      stated === undefined
        ? metric.startsWith('rand4k')
          ? `seek-bound ${seekBound(averageSeekMs)}-${seekBound(drive.singleTrackSeekMs)}`
          : '-'
        : stated.toFixed(1);
    console.log(
      `${metric.padEnd(20)}${values
        .map((v) => v.toFixed(2))
        .join(' ')
        .padEnd(35)}${s.mean.toFixed(2)} [${s.ciLow?.toFixed(2)}, ${s.ciHigh?.toFixed(2)}]`.padEnd(78) +
        `${reference.padEnd(8)}${ratio}`,
    );
  }
  console.log(`\nmachine: ${JSON.stringify(describeMachine())}`);
} finally {
  rmSync(outputDir, { recursive: true, force: true });
}
