import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  appResults,
  completedJobFrames,
  crystalDiskMarkResults,
  ensureDebianImage,
  imageOverlay,
  parseFioPass,
  writeJobFile,
  type AppFrame,
  type FioFrame,
  type ImageInfo,
} from '../images/index.js';
import { bootDurations, extractBootMarkers, runInShell, startMachine, type Machine, type MachineSpec } from '../testbed/index.js';

// End to end on real components: debootstrap-built Debian 12 (from scratch on a fresh machine,
// cached afterwards), booted by QEMU TCG from an IDE disk, running a real benchmark job.
describe('stock Debian image', () => {
  let image: ImageInfo;
  let runDir: string;
  let baseMtime: number;
  beforeAll(async () => {
    const start = performance.now();
    image = await ensureDebianImage({ onProgress: (step) => console.log(`image: ${step}`) });
    console.log(`image ready in ${((performance.now() - start) / 1000).toFixed(1)} s: ${image.path}`);
    baseMtime = (await stat(image.path)).mtimeMs;
    runDir = await mkdtemp(path.join(os.tmpdir(), 'images-test-'));
  }, 40 * 60_000);
  afterAll(async () => {
    await rm(runDir, { recursive: true, force: true });
  });

  const machineSpec = async (name: string): Promise<MachineSpec> => ({
    name,
    logDir: runDir,
    niceness: 10,
    disks: [{ kind: 'image', path: await imageOverlay(image.path, runDir, `${name}.qcow2`), format: 'qcow2' }],
  });

  test('the manifest records a stock install (kernel, GRUB, benchmark tools, no AoE initiator)', () => {
    const names = image.manifest.packages.map((p) => p.name);
    expect(image.manifest.kernelVersion).toMatch(/^6\.1\.\d+/);
    expect(names).toEqual(expect.arrayContaining(['linux-image-amd64', 'grub-pc', 'fio', 'python3', 'flac', 'systemd-sysv']));
    expect(names).not.toContain('aoetools');
    expect(image.manifest.imageHash).toMatch(/^[0-9a-f]{16}$/);
    expect(path.basename(image.path)).toBe(`debian12-stock-${image.manifest.imageHash}.img`);
  });

  test('a plain boot reaches login on ttyS0 with every boot marker, and runs no job', { timeout: 12 * 60_000 }, async () => {
    const machine: Machine = await startMachine(await machineSpec('plain'));
    try {
      // ~35 s on an idle 2-core host under TCG; 164 s was seen with a load of 10, so allow plenty.
      await machine.consoles.com1.waitFor(/login: /, 10 * 60_000);
      const unit = await runInShell(machine.consoles.com1, 'systemctl show -p Result,ExecMainStatus netboot-bench.service');
      expect(unit.exitCode).toBe(0);
      expect(unit.output.trim().split('\n').sort()).toEqual(['ExecMainStatus=0', 'Result=success']);
      // The stock image has no logind (no dbus), so the ACPI button does nothing: ask the shell.
      machine.consoles.com1.send('poweroff\n');
      expect((await machine.exited).code).toBe(0);
    } finally {
      await machine.kill();
    }
    const markers = extractBootMarkers(machine.consoles.com1.chunks);
    console.log(`boot markers (ms since QEMU start): ${JSON.stringify(markers)}; durations (s): ${JSON.stringify(bootDurations(markers))}`);
    expect(markers.grubMenu).toBeGreaterThan(0);
    expect(markers.grubLeft).toBeGreaterThan(markers.grubMenu!);
    expect(markers.login).toBeGreaterThan(markers.grubLeft!);
    expect(machine.consoles.com1.text).not.toContain('@@BENCH');
  });

  test('a job handed over by fw_cfg runs fio and an app test, reports frames, powers off', { timeout: 16 * 60_000 }, async () => {
    const jobId = 'ci-quick';
    const job = await writeJobFile(
      {
        version: 1,
        id: jobId,
        seed: 7,
        fio: { tests: ['seq-1m', 'rand-4k'], sizeMiB: 16, passes: 1, runtimeSeconds: 1 },
        apps: { tests: ['mail-search'], scale: 0.02, passes: 1 },
      },
      runDir,
    );
    const machine = await startMachine({ ...(await machineSpec('job')), fwCfgFiles: [job] });
    let status;
    try {
      status = await Promise.race([
        machine.exited,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('job did not power off within 15 min')), 15 * 60_000)),
      ]);
    } finally {
      await machine.kill();
    }
    expect(status.code).toBe(0);
    const frames = completedJobFrames(machine.consoles.com1.text, jobId);
    const passes = frames.filter((f): f is FioFrame => f.type === 'fio').map(parseFioPass);
    expect(passes.map((p) => `${p.test}/${p.rw}`)).toEqual(['seq-1m/read', 'seq-1m/write', 'rand-4k/read', 'rand-4k/write']);
    for (const pass of passes) {
      expect(pass.mbPerSecond).toBeGreaterThan(0);
      expect(pass.bytes).toBeGreaterThan(0);
    }
    const cdm = crystalDiskMarkResults(passes);
    const apps = appResults(frames.filter((f): f is AppFrame => f.type === 'app'));
    console.log(`quick job: ${cdm.map((r) => `${r.test}/${r.rw} ${r.bestMbPerSecond.toFixed(1)} MB/s`).join(', ')}; ${apps.map((a) => `${a.test} ${a.seconds.toFixed(2)} s`).join(', ')}`);
    expect(apps).toHaveLength(1);
    expect(apps[0]!.seconds).toBeGreaterThan(0);
    // The run wrote only to its overlay.
    expect((await stat(image.path)).mtimeMs).toBe(baseMtime);
    expect(await readFile(path.join(runDir, 'job.com1.log'), 'latin1')).toContain('@@BENCH');
  });
});
