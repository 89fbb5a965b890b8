import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { MeasurementWithoutRepetition, RepetitionContext } from '../../artifact/core/experiment.js';
import { completedJobFrames, fioPresets, parseFioPass, writeJobFile, type FioTestName } from '../../artifact/images/index.js';
import { startMachine, type DiskSpec } from '../../artifact/testbed/index.js';

/** The CrystalDiskMark rows the paper reports (Figs 5, 11); QD32 is not in the paper. */
const paperTests: readonly FioTestName[] = ['seq-1m', 'rand-512k', 'rand-4k'];
const metricOf: Record<string, string> = { 'seq-1m': 'seq', 'rand-512k': 'rand512k', 'rand-4k': 'rand4k' };
const clientName = 'client';
/** Full size: boot (~35 s) + 3 tests x 2 directions x 5 passes + writing the 1000 MB file under TCG. */
const jobTimeoutMs = 60 * 60_000;

/**
 * Boots the client with a fio job (handed over through fw_cfg); the guest runs it, prints result
 * frames on its console and powers off. With `kernel`, the hypervisor is loaded first. --quick uses the small preset (32 MiB, one pass).
 */
export async function runDiskBenchmark(ctx: RepetitionContext, boot: { disk: DiskSpec; kernel?: string }): Promise<void> {
  const preset = ctx.options.quick ? fioPresets.quick : fioPresets.full;
  const jobId = `${ctx.experimentId}-${ctx.configuration}-rep${ctx.repetition}`;
  const jobFile = await writeJobFile({ version: 1, id: jobId, seed: ctx.repetition, powerOff: true, fio: { ...preset, tests: [...paperTests] } }, ctx.rawDir);
  ctx.progress(`rep ${ctx.repetition}: fio ${preset.sizeMiB} MiB x ${preset.passes} pass(es)`);
  const machine = await startMachine({ name: clientName, logDir: ctx.rawDir, accel: 'auto', disks: [boot.disk], kernel: boot.kernel, fwCfgFiles: [jobFile] });
  ctx.log(`QEMU pid ${machine.pid}, accelerator ${machine.accel}, job ${jobId}`);
  try {
    await machine.consoles.com1.waitFor(/"type":"job-end"/, jobTimeoutMs);
  } finally {
    await machine.powerOff();
  }
}

/** Best-of-passes inputs: one measurement per fio pass, metric '<test>-<read|write>' in MB/s (10^6 B). */
export async function parseDiskBenchmark(rawDir: string): Promise<MeasurementWithoutRepetition[]> {
  const job = JSON.parse(await readFile(path.join(rawDir, 'job.json'), 'utf8')) as { id: string };
  const transcript = await readFile(path.join(rawDir, `${clientName}.com1.log`), 'latin1');
  const measurements: MeasurementWithoutRepetition[] = [];
  for (const frame of completedJobFrames(transcript, job.id)) {
    if (frame.type !== 'fio') continue;
    const pass = parseFioPass(frame);
    const prefix = metricOf[pass.test];
    if (prefix === undefined) continue;
    measurements.push({ metric: `${prefix}-${pass.rw}`, unit: 'MB/s', pass: pass.pass, value: pass.mbPerSecond });
  }
  if (measurements.length === 0) throw new Error(`${rawDir}: the guest reported no fio passes`);
  return measurements;
}
