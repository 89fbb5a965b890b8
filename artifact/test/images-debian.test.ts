// SPDX-License-Identifier: MIT
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { $ } from 'zx';
import { afterAll, beforeAll, describe, expect, test as vitestTest } from 'vitest';
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
import { debianRecipe, imageName, type DebianInstaller } from '../images/recipe.js';
import {
  bootDurations,
  extractBootMarkers,
  runInShell,
  startMachine,
  type Machine,
  type MachineSpec,
} from '../testbed/index.js';

// End to end on real components: Debian 12 built from scratch (cached afterwards), booted by QEMU
// TCG from an IDE disk, running a real benchmark job. Both installers must give an image that
// behaves the same. The debootstrap image builds in ~4 min; Debian's installer inside a TCG PC
// takes far longer than CI's budget allows, so that half runs when NETBOOT_INSTALLER_TEST=1
// (`npm run test:installer`) and is reported skipped otherwise.
const installerTestWanted = process.env.NETBOOT_INSTALLER_TEST === '1';
const installers: { installer: DebianInstaller; wanted: boolean; buildMinutes: number }[] = [
  { installer: 'debootstrap', wanted: true, buildMinutes: 40 },
  { installer: 'debian-installer', wanted: installerTestWanted, buildMinutes: 150 },
];

describe.each(installers)('stock Debian image made by $installer', ({ installer, wanted, buildMinutes }) => {
  let image: ImageInfo;
  let runDir: string;
  let baseMtime: number;
  beforeAll(async () => {
    if (!wanted) return;
    const start = performance.now();
    image = await ensureDebianImage({ installer, onProgress: (step) => console.log(`image: ${step}`) });
    console.log(`image ready in ${((performance.now() - start) / 1000).toFixed(1)} s: ${image.path}`);
    baseMtime = (await stat(image.path)).mtimeMs;
    runDir = await mkdtemp(path.join(os.tmpdir(), 'images-test-'));
  }, buildMinutes * 60_000);
  afterAll(async () => {
    if (runDir !== undefined) await rm(runDir, { recursive: true, force: true });
  });
  const test = wanted ? vitestTest : vitestTest.skip;

  const machineSpec = async (name: string): Promise<MachineSpec> => ({
    name,
    logDir: runDir,
    niceness: 10,
    disks: [{ kind: 'image', path: await imageOverlay(image.path, runDir, `${name}.qcow2`), format: 'qcow2' }],
  });

  test('the manifest records a stock install (kernel, GRUB, benchmark tools, no AoE initiator)', () => {
    const names = image.manifest.packages.map((p) => p.name);
    expect(image.manifest.kernelVersion).toMatch(/^6\.1\.\d+/);
    expect(names).toEqual(
      expect.arrayContaining(['linux-image-amd64', 'grub-pc', 'fio', 'python3', 'flac', 'systemd-sysv']),
    );
    expect(names).not.toContain('aoetools');
    expect(image.manifest.imageHash).toMatch(/^[0-9a-f]{16}$/);
    expect(image.manifest.recipe.installer).toBe(installer);
    expect(path.basename(image.path)).toBe(
      `${imageName(debianRecipe('stock', { installer }))}-${image.manifest.imageHash}.img`,
    );
  });

  test('the disk is laid out alike: an MBR with one bootable Linux partition at 1 MiB, ext4 root by UUID', async () => {
    const table = JSON.parse((await $`sfdisk --json ${image.path}`.quiet()).stdout) as {
      partitiontable: { label: string; partitions: { start: number; type: string; bootable?: boolean }[] };
    };
    expect(table.partitiontable.label).toBe('dos');
    expect(table.partitiontable.partitions).toHaveLength(1);
    expect(table.partitiontable.partitions[0]).toMatchObject({ start: 2048, type: '83', bootable: true });
    // Read through a read-only loop device: the cached image must not change (not even its superblock).
    const read = async (file: string) => (await $`debugfs -R ${`cat ${file}`} ${partition}`.quiet()).stdout;
    const partition = (await $`losetup -r -f --show -o ${2048 * 512} ${image.path}`.quiet()).stdout.trim();
    try {
      expect(await read('/etc/fstab')).toContain(`UUID=${image.manifest.rootUuid}\t/\text4`);
      expect(await read('/boot/grub/grub.cfg')).toMatch(
        new RegExp(`root=UUID=${image.manifest.rootUuid} .*console=ttyS0,115200n8`),
      );
      // The installer leaves its own logs in the system it installed; debootstrap leaves none.
      expect((await read('/var/log/installer/syslog')).length > 0).toBe(installer === 'debian-installer');
      // fio's test file is laid out once, in the image, at CrystalDiskMark's size (guest-payload.ts).
      const fioFile = (await $`debugfs -R ${'stat /var/lib/netboot-bench/fio/fio-test.dat'} ${partition}`.quiet())
        .stdout;
      expect(fioFile).toMatch(new RegExp(`Size: ${1000 * 1024 * 1024}\\b`));
    } finally {
      await $`losetup -d ${partition}`.quiet();
    }
  });

  test(
    'a plain boot reaches login on ttyS0 with every boot marker, and runs no job',
    { timeout: 12 * 60_000 },
    async () => {
      const machine: Machine = await startMachine(await machineSpec('plain'));
      try {
        // ~35 s on an idle 2-core host under TCG; 164 s was seen with a load of 10, so allow plenty.
        await machine.consoles.com1.waitForPrompt(/login: /, 10 * 60_000);
        const unit = await runInShell(
          machine.consoles.com1,
          'systemctl show -p Result,ExecMainStatus netboot-bench.service',
        );
        expect(unit.exitCode).toBe(0);
        expect(unit.output.trim().split('\n').sort()).toEqual(['ExecMainStatus=0', 'Result=success']);
        // The stock image has no logind (no dbus), so the ACPI button does nothing: ask the shell.
        machine.consoles.com1.send('poweroff\n');
        expect((await machine.exited).code).toBe(0);
      } finally {
        await machine.kill();
      }
      const markers = extractBootMarkers(machine.consoles.com1.chunks);
      console.log(
        `boot markers (ms since QEMU start): ${JSON.stringify(markers)}; durations (s): ${JSON.stringify(bootDurations(markers))}`,
      );
      expect(markers.grubMenu).toBeGreaterThan(0);
      expect(markers.grubLeft).toBeGreaterThan(markers.grubMenu!);
      expect(markers.login).toBeGreaterThan(markers.grubLeft!);
      expect(machine.consoles.com1.text).not.toContain('@@BENCH');
    },
  );

  test(
    'a job handed over by fw_cfg runs fio and an app test, reports frames, powers off',
    { timeout: 16 * 60_000 },
    async () => {
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
          new Promise<never>((_, reject) =>
            setTimeout(() => reject(new Error('job did not power off within 15 min')), 15 * 60_000),
          ),
        ]);
      } finally {
        await machine.kill();
      }
      expect(status.code).toBe(0);
      const frames = completedJobFrames(machine.consoles.com1.text, jobId);
      const passes = frames.filter((f): f is FioFrame => f.type === 'fio').map(parseFioPass);
      expect(passes.map((p) => `${p.test}/${p.rw}`)).toEqual([
        'seq-1m/read',
        'seq-1m/write',
        'rand-4k/read',
        'rand-4k/write',
      ]);
      for (const pass of passes) {
        expect(pass.mbPerSecond).toBeGreaterThan(0);
        expect(pass.bytes).toBeGreaterThan(0);
      }
      const cdm = crystalDiskMarkResults(passes);
      const apps = appResults(frames.filter((f): f is AppFrame => f.type === 'app'));
      console.log(
        `quick job: ${cdm.map((r) => `${r.test}/${r.rw} ${r.bestMbPerSecond.toFixed(1)} MB/s`).join(', ')}; ${apps.map((a) => `${a.test} ${a.seconds.toFixed(2)} s`).join(', ')}`,
      );
      expect(apps).toHaveLength(1);
      expect(apps[0]!.seconds).toBeGreaterThan(0);
      // The run wrote only to its overlay.
      expect((await stat(image.path)).mtimeMs).toBe(baseMtime);
      expect(await readFile(path.join(runDir, 'job.com1.log'), 'latin1')).toContain('@@BENCH');
    },
  );
});
