// SPDX-License-Identifier: MIT
// The hardware testbed's driver end to end, against the simulated PC of data/testbeds/qemu-sim.json:
// the server's NIC (one end of a veth) is claimed into the run's namespace, dnsmasq and vblade serve
// on it, the PC is powered on through its monitor and PXE-boots the hypervisor, which boots the
// served image over AoE; in the same boot, a benchmark job reaches the guest inside the served image
// (no fw_cfg) and is run in its shell.
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { $ } from 'zx';
import { describe, expect, test } from 'vitest';
import { compare } from '../commands/compare.js';
import { readManifest } from '../core/manifest.js';
import { paths, runLayout } from '../core/paths.js';
import type { ResultFile } from '../core/results-schema.js';
import { runCli } from './support/cli.js';
import { scratchOutputDir } from './support/output-dir.js';
import { expectNoFailedConfiguration } from './support/run-evidence.js';

const runId = 'qemu-sim-e2e';

describe('--testbed hardware on the qemu-sim PC', () => {
  test(
    'a boot to login and a fio job run through the PXE chain; the manifest has the client; compare puts the run beside the paper',
    async () => {
      const output = await scratchOutputDir('netboot-sim');
      const shipped = JSON.parse(await readFile(path.join(paths.testbeds, 'qemu-sim.json'), 'utf8')) as {
        server: object;
      };
      // A server interface of its own, so that this test and a run of the shipped file can coexist.
      const serverInterface = `nbsim${process.pid % 100000}`;
      const description = path.join(output, 'qemu-sim-test.json');
      await writeFile(
        description,
        JSON.stringify({
          ...shipped,
          name: 'qemu-sim-test',
          server: { ...shipped.server, interface: serverInterface },
        }),
      );

      const run = await runCli(
        [
          'reproduce',
          '--smoke',
          '--testbed',
          'hardware',
          '--hardware',
          description,
          '--only',
          'fig04',
          '--only',
          'fig05',
          '--configurations',
          'vmm-aoe-cache-on',
          '--run-id',
          runId,
        ],
        { NETBOOT_OUTPUT_DIR: output },
      );
      const layout = runLayout(path.join(output, 'runs', runId));
      await expectNoFailedConfiguration(layout.root);
      expect(run.code, run.output).toBe(0);
      const result = async (id: string) =>
        JSON.parse(await readFile(path.join(layout.results, `${id}.json`), 'utf8')) as ResultFile;
      const values = (file: ResultFile, metric: string) => {
        const entry = file.configurations.find((c) => c.configuration === 'vmm-aoe-cache-on')!;
        expect(entry.status, JSON.stringify(entry)).toBe('ran');
        return entry.status === 'ran' ? entry.measurements.filter((m) => m.metric === metric).map((m) => m.value) : [];
      };

      const boot = await result('fig04-boot-time');
      expect(values(boot, 'os-boot')[0]).toBeGreaterThan(1);
      // From the hypervisor's console: power-on, PXE (DHCP, TFTP, HTTP) and the hypervisor's start.
      expect(values(boot, 'vmm-boot')[0]).toBeGreaterThan(1);
      const local = boot.configurations.find((c) => c.configuration === 'local')!;
      expect(local.status === 'not-run' && local.reason).toMatch(
        /not on a hardware testbed: it boots the stock image from the client's own disk/,
      );
      const sanboot = boot.configurations.find((c) => c.configuration === 'ipxe-sanboot-aoe')!;
      expect(sanboot.status === 'not-run' && sanboot.reason).toMatch(
        /not selected \(--configurations vmm-aoe-cache-on\)/,
      );

      const throughput = await result('fig05-disk-throughput');
      for (const metric of ['seq-read', 'seq-write', 'rand4k-read'])
        expect(values(throughput, metric)[0]).toBeGreaterThan(0);

      const raw = path.join(layout.raw, 'fig05-disk-throughput', 'vmm-aoe-cache-on', 'rep-1');
      const cmdline = await readFile(path.join(raw, 'client.cmdline'), 'utf8');
      // Powered on through the monitor, booted from the network, no kernel and no fw_cfg: as a real PC.
      expect(cmdline).toMatch(/ -S\s/);
      expect(cmdline).toContain('order=n');
      expect(cmdline).not.toMatch(/-kernel|-fw_cfg/);
      expect(await readFile(path.join(raw, 'dnsmasq.log'), 'utf8')).toMatch(/dnsmasq-tftp.*sent .*vmm\.elf to/);
      // One boot served both figures; its job went into the served image, where the guest's shell found it.
      expect(await readFile(path.join(layout.logs, 'session-vmm-aoe-cache-on.log'), 'utf8')).toContain(
        'written into the served image: var/lib/netboot-bench/s/0.json',
      );
      expect(JSON.parse(await readFile(path.join(raw, 'session.json'), 'utf8'))).toMatchObject({
        session: 'raw/sessions/vmm-aoe-cache-on/rep-1',
        parts: ['fig04-boot-time', 'fig05-disk-throughput'],
      });

      const manifest = await readManifest(layout.manifest);
      expect(manifest.hardwareTestbed?.name).toBe('qemu-sim-test');
      // The guest sees the served disk as its IDE disk, and no NIC: the hypervisor hides it.
      expect(manifest.clientHardware?.disks.map((d) => d.model)).toEqual(['vblade AoE disk']);
      expect(manifest.clientHardware?.nics).toEqual([]);
      expect(await readFile(layout.reportHtml, 'utf8')).toContain('hardware &quot;qemu-sim-test&quot;');
      // A hardware run's figures stay in its run folder.
      expect(existsSync(path.join(output, 'figures', 'fig04-boot-time.svg'))).toBe(false);

      // Nothing is left: the simulated wire and its namespace (the lab's; no other test makes one).
      expect((await $`ip link show dev ${serverInterface}`.quiet().nothrow()).exitCode).not.toBe(0);
      expect((await $`ip netns list`.quiet()).stdout).not.toMatch(/qemusim-/);

      const comparison = await compare(['paper', runId], {
        runsDir: path.join(output, 'runs'),
        outputDir: path.join(output, 'comparison'),
      });
      const page = await readFile(path.join(comparison, 'report.html'), 'utf8');
      expect(page).toContain('hardware &quot;qemu-sim-test&quot;');
      expect(page).toContain('vblade AoE disk');
    },
    30 * 60_000,
  );
});
