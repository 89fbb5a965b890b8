// SPDX-License-Identifier: MIT
// The KVM + NFS baseline end to end (paper 5.7): the kvm-host image is built, the emulated PC boots
// it, the host mounts nfs-ganesha's export with the paper's options and runs the stock image under
// nested KVM, whose fio job's results come back on the host's second serial port and parse. A
// nested guest that stalls (silent before login) is booted again once by the run itself.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { $ } from 'zx';
import { describe, expect, test } from 'vitest';
import { runLayout } from '../core/paths.js';
import type { ResultFile } from '../core/results-schema.js';
import { runCli } from './support/cli.js';
import { scratchOutputDir } from './support/output-dir.js';
import { expectNoFailedConfiguration } from './support/run-evidence.js';
import { processesMentioning } from './support/processes.js';

const runId = 'kvm-nfs-e2e';

describe('the KVM + NFS baseline on the emulated testbed', () => {
  test(
    'Figs. 10 and 11 kvm-nfs in one boot: the host boots, mounts with noac,rsize=4096,wsize=4096, the nested guest boots (Fig. 10) and runs a quick fio job typed into its shell on COM2 (Fig. 11)',
    async () => {
      const output = await scratchOutputDir('netboot-kvm');
      const args = [
        'reproduce',
        '--quick',
        '--reps',
        '1',
        '--only',
        'fig10',
        '--only',
        'fig11',
        '--configurations',
        'kvm-nfs',
        '--run-id',
        runId,
      ];
      const run = await runCli(args, { NETBOOT_OUTPUT_DIR: output });
      const layout = runLayout(path.join(output, 'runs', runId));
      await expectNoFailedConfiguration(layout.root);
      expect(run.code, run.output).toBe(0);
      const resultOf = async (experiment: string) =>
        (
          JSON.parse(await readFile(path.join(layout.results, `${experiment}.json`), 'utf8')) as ResultFile
        ).configurations.find((c) => c.configuration === 'kvm-nfs')!;
      // The nested guest (KVM inside the TCG-emulated PC) sometimes stalls silently right after GRUB
      // loads its initrd (2 of 3 boots on 2026-12-06; cause unknown): the session notices 300 s of
      // silence on COM2 and boots again once, keeping the stalled attempt's logs.
      const sessionLog = await readFile(path.join(layout.logs, 'session-kvm-nfs.log'), 'utf8');
      const stalled = /the boot stalled \(com2: no output for 300 s/.test(sessionLog);
      if (stalled) {
        console.log('the nested guest stalled; the session booted it again');
        expect(
          existsSync(path.join(layout.raw, 'sessions', 'kvm-nfs', 'rep-1', 'stalled-attempt', 'client.com2.log')),
        ).toBe(true);
      }
      const kvm = await resultOf('fig11-kvm-throughput');
      expect(kvm.status, JSON.stringify(kvm)).toBe('ran');
      const metrics = kvm.status === 'ran' ? kvm.measurements : [];
      for (const metric of ['seq-read', 'seq-write', 'rand512k-read', 'rand512k-write']) {
        expect(metrics.find((m) => m.metric === metric)?.value, metric).toBeGreaterThan(0);
      }

      const kvmBoot = await resultOf('fig10-kvm-boot-time');
      expect(kvmBoot.status, JSON.stringify(kvmBoot)).toBe('ran');
      for (const metric of ['vmm-boot', 'os-boot'])
        expect(
          kvmBoot.status === 'ran' && kvmBoot.measurements.find((m) => m.metric === metric)?.value,
          metric,
        ).toBeGreaterThan(1);

      const raw = path.join(layout.raw, 'fig11-kvm-throughput', 'kvm-nfs', 'rep-1');
      expect(JSON.parse(await readFile(path.join(raw, 'session.json'), 'utf8'))).toMatchObject({
        session: 'raw/sessions/kvm-nfs/rep-1',
        parts: ['fig10-kvm-boot-time', 'fig11-kvm-throughput'],
      });
      const host = await readFile(path.join(raw, 'client.com1.log'), 'latin1');
      // The kernel's own account of the mount: the paper's options are in force.
      const mounted = /kvm-host: mounted (\S+) \/mnt\/guest-disk nfs (\S+)/.exec(host);
      expect(mounted, host.slice(-2000)).not.toBeNull();
      expect(mounted![1]).toMatch(/^10\.79\.0\.1:\/.*-nfs$/);
      for (const option of ['vers=3', 'rsize=4096', 'wsize=4096', 'noac', 'proto=tcp'])
        expect(mounted![2]!.split(',')).toContain(option);
      expect(host).toContain('kvm-host: starting the guest');
      // The nested guest's frames came on the host's ttyS1 (the PC's COM2) and name its IDE disk.
      expect(await readFile(path.join(raw, 'client.com2.log'), 'latin1')).toMatch(/"type":"job-end"/);
      expect(await readFile(path.join(raw, 'ganesha.log'), 'utf8')).toContain('NFS SERVER INITIALIZED');

      // Nothing of this run is left: no process refers to its folder (QEMU, ganesha, rpcbind), and
      // its network namespace (named after the CLI's pid, logged by the experiment) is gone.
      expect(await processesMentioning(output)).toEqual([]);
      const namespaces = [
        ...(await readFile(path.join(layout.logs, 'session-kvm-nfs.log'), 'utf8')).matchAll(/on (nfs-\d+-1)\/tap0/g),
      ].map((match) => match[1]!);
      expect(namespaces).toHaveLength(stalled ? 2 : 1);
      const listed = (await $`ip netns list`.quiet()).stdout;
      for (const netns of namespaces) expect(listed).not.toContain(netns);
    },
    45 * 60_000,
  );
});
