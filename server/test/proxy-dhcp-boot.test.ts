// SPDX-License-Identifier: MIT
// Proxy-DHCP end to end (issue 9): a wire that already has a DHCP server. A second namespace runs
// that server (dnsmasq handing out 10.77.0.50-60), bridged to the client's tap; our boot services
// run in proxy mode on the bridge. QEMU's iPXE ROM must take its address from the other server
// and the boot script from ours (TFTP), and nothing may be left behind.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, test } from 'vitest';
import { $ } from 'zx';
import { createNetns, startMachine, type Machine } from '../../artifact/testbed/index.js';
import { track } from '../../artifact/testbed/reaper.js';
import { startBootServices, type BootServices } from '../boot-services.js';
import { paths } from '../../artifact/core/paths.js';
import { stopProcess } from '../lab.js';

const otherServer = { address: '10.77.0.2/24', rangeStart: '10.77.0.50', rangeEnd: '10.77.0.60' };
/** QEMU's iPXE fetched the script within 10 s in tries on this host; allow for a loaded machine. */
const scriptFetchTimeoutMs = 120_000;

test(
  "proxy mode: iPXE takes its address from the wire's DHCP server and the script from ours",
  { timeout: 5 * 60_000 },
  async () => {
    const logDir = await mkdtemp(path.join(os.tmpdir(), 'proxy-dhcp-'));
    const netns = await createNetns(`pxboot-${process.pid}`);
    const otherNetns = `pxdhcp-${process.pid}`;
    await $`ip netns add ${otherNetns}`.quiet();
    let services: BootServices | undefined;
    let machine: Machine | undefined;
    let otherDhcp: ReturnType<typeof spawn> | undefined;
    try {
      // The wire: a bridge holding the client's tap and a veth to the other DHCP server's namespace.
      const ip = (args: string[]) => $`ip -n ${netns.name} ${args}`.quiet();
      await ip(['link', 'add', 'br0', 'type', 'bridge']);
      await ip(['link', 'set', 'tap0', 'master', 'br0']);
      await ip(['link', 'add', 'vwire', 'type', 'veth', 'peer', 'name', 'vdhcp']);
      await ip(['link', 'set', 'vwire', 'master', 'br0']);
      await ip(['link', 'set', 'vdhcp', 'netns', otherNetns]);
      for (const link of ['br0', 'vwire', 'tap0']) await ip(['link', 'set', link, 'up']);
      await $`ip -n ${otherNetns} addr add ${otherServer.address} dev vdhcp`.quiet();
      await $`ip -n ${otherNetns} link set vdhcp up`.quiet();
      otherDhcp = spawn(
        'ip',
        [
          'netns',
          'exec',
          otherNetns,
          'setpriv',
          '--pdeathsig',
          'SIGKILL',
          '--',
          paths.dnsmasq,
          '--keep-in-foreground',
          '--conf-file=/dev/null',
          '--port=0',
          '--interface=vdhcp',
          '--bind-interfaces',
          '--log-facility=-',
          `--dhcp-leasefile=${path.join(logDir, 'other.leases')}`,
          `--pid-file=${path.join(logDir, 'other.pid')}`,
          `--dhcp-range=${otherServer.rangeStart},${otherServer.rangeEnd},255.255.255.0,1h`,
        ],
        { stdio: 'ignore' },
      );
      if (otherDhcp.pid !== undefined) otherDhcp.once('exit', track('pid', otherDhcp.pid));

      services = await startBootServices({
        netns: netns.name,
        ifname: 'br0',
        program: { kind: 'sanboot-aoe', shelf: 0, slot: 1 },
        logDir,
        mode: 'proxy',
      });
      machine = await startMachine({
        name: 'proxy-client',
        logDir,
        bootFrom: 'network',
        netns: netns.name,
        nics: [{ kind: 'tap', tap: 'tap0', mac: '52:54:00:a0:e0:0c', model: 'e1000' }],
      });
      const deadline = Date.now() + scriptFetchTimeoutMs;
      while (!services.transfers().some((t) => t.file === 'boot.ipxe') && Date.now() < deadline) await sleep(500);
      const [fetch] = services.transfers();
      expect(
        fetch?.file,
        services
          .lines()
          .map((l) => l.line)
          .join('\n'),
      ).toBe('boot.ipxe');
      // The address came from the other server's range: ours leased nothing.
      expect(fetch!.client).toMatch(/^10\.77\.0\.(5\d|60)$/);
    } finally {
      await machine?.kill();
      await services?.stop();
      await stopProcess(otherDhcp);
      await netns.destroy();
      await $`ip netns del ${otherNetns}`.quiet().nothrow();
      await rm(logDir, { recursive: true, force: true });
    }
    const namespaces = (await $`ip netns list`.quiet()).stdout;
    expect(namespaces).not.toContain(netns.name);
    expect(namespaces).not.toContain(otherNetns);
    expect(existsSync(logDir)).toBe(false);
  },
);
