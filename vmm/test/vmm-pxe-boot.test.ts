// SPDX-License-Identifier: MIT
// The paper's section 4.7: nothing is installed on the client. The PC has only a placeholder disk
// and PXE-boots from its e1000 option ROM (QEMU's iPXE): DHCP and TFTP from dnsmasq on the server
// side of the tap, the generated iPXE script loads vmm.elf with iPXE's multiboot loader, the
// hypervisor takes the NIC over for AoE and the BIOS path boots Debian from the patched vblade.
import { spawn } from 'node:child_process';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { $ } from 'zx';
import { ensureDebianImage } from '../../artifact/images/index.js';
import { createNetns, runInShell, startMachine, type Machine, type MachineSpec } from '../../artifact/testbed/index.js';
import { startBootServices, type BootServices } from '../../server/boot-services.js';
import { buildServer, spawnVblade, stopProcess, type RunningServer } from '../../server/lab.js';
import { buildHypervisor, testLogDir, vmmImage } from './support/hypervisor.js';
import { privateCopy, type PrivateCopy } from './support/network-boot.js';

const guestMac = '52:54:00:a0:e0:03';
const hypervisorOptions = 'aoe=1.1';
let machine: Machine | undefined;
let disk: PrivateCopy | undefined;

beforeAll(() => {
  buildHypervisor();
  buildServer();
}, 180_000);

afterEach(async () => {
  await machine?.kill();
  machine = undefined;
  disk?.dispose();
  disk = undefined;
});

interface PxeServer {
  netns: string;
  tap: string;
  services: BootServices;
  vblade: RunningServer;
}

/**
 * The server side of a PXE boot: a namespace with the client's tap, vblade exporting `image` as
 * e1.1 and the boot services on the tap. All of it is gone when this returns or throws.
 */
async function withPxeServer<T>(
  label: string,
  image: string,
  logDir: string,
  body: (server: PxeServer) => Promise<T>,
): Promise<T> {
  const netns = await createNetns(`vmm-${label}-${process.pid}`);
  let vblade: RunningServer | undefined;
  try {
    const tap = netns.taps[0]!;
    vblade = spawnVblade({ netns: netns.name, ifname: tap, image, shelf: 1, slot: 1 });
    const services = await startBootServices({
      netns: netns.name,
      ifname: tap,
      program: { kind: 'multiboot', image: vmmImage, options: hypervisorOptions },
      logDir,
    });
    try {
      return await body({ netns: netns.name, tap, services, vblade });
    } finally {
      await machine?.kill();
      machine = undefined;
      await services.stop();
    }
  } finally {
    await stopProcess(vblade?.process);
    await netns.destroy();
  }
}

function pxeClient(name: string, logDir: string, server: PxeServer, diskBytes: number): MachineSpec {
  return {
    name,
    logDir,
    bootFrom: 'network',
    // No -kernel: the firmware's PXE ROM fetches the hypervisor. The placeholder makes drive 0x80.
    disks: [{ kind: 'placeholder', sizeBytes: diskBytes }],
    netns: server.netns,
    nics: [{ kind: 'tap', tap: server.tap, mac: guestMac, model: 'e1000' }],
  };
}

const processAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const namespaces = async () => (await $`ip netns list`.quiet()).stdout;

describe('PXE boot of the hypervisor', () => {
  test(
    'a client with no kernel and a placeholder disk PXE-boots vmm.elf and Debian reaches login over AoE',
    async () => {
      const info = await ensureDebianImage();
      const logDir = testLogDir('pxe-debian');
      disk = privateCopy(info.path, 'pxe-image');
      const image = disk.path;
      await withPxeServer('pxe', image, logDir, async (server) => {
        const m = (machine = await startMachine(pxeClient('pxe-debian', logDir, server, statSync(image).size)));
        // iPXE prints to VGA only; the hypervisor's first line shows the multiboot command line iPXE gave it.
        const started = await m.consoles.com2.waitFor(
          /vmm: netboot hypervisor starting; command line "([^"]*)"/,
          10 * 60_000,
        );
        expect(started.match[1]).toBe(`tftp://${server.services.serverAddress}/vmm.elf ${hypervisorOptions}`);
        await m.consoles.com2.waitFor(/AoE: target e1\.1 found/, 5 * 60_000);
        const login = await m.consoles.com1.waitForPrompt(/login: /, 15 * 60_000);
        const shell = (command: string) => runInShell(m.consoles.com1, command, { timeoutMs: 5 * 60_000 });
        expect((await shell('findmnt -no SOURCE /')).output.trim()).toBe('/dev/sda1');
        expect((await shell('ls /sys/class/net')).output.split(/\s+/).filter(Boolean)).toEqual(['lo']);

        // dnsmasq: the ROM's DHCP exchange was iPXE's, and it fetched the script, then the hypervisor.
        const lines = server.services.lines();
        const log = lines.map((l) => l.line).join('\n');
        const ack = new RegExp(`DHCPACK\\(${server.tap}\\) (\\S+) ${guestMac}`).exec(log);
        expect(ack, log).not.toBeNull();
        expect(log).toMatch(/user class: iPXE/);
        const client = ack![1]!;
        const transfers = server.services.transfers().filter((t) => t.client === client);
        expect(transfers.map((t) => t.file)).toEqual(['boot.ipxe', 'vmm.elf']);

        // Power-on to hand-over (the paper's "VMM boot" phase, Fig. 10, including PXE), on QEMU's clock.
        const sinceStart = (epochMs: number) => epochMs - m.startedAtEpochMs;
        const discover = lines.find((l) => /DHCPDISCOVER/.test(l.line));
        const timings = {
          dhcpDiscoverMs: discover ? Math.round(sinceStart(discover.epochMs)) : null,
          dhcpAckMs: Math.round(sinceStart(lines.find((l) => /DHCPACK/.test(l.line))!.epochMs)),
          scriptSentMs: Math.round(sinceStart(transfers[0]!.epochMs)),
          vmmSentMs: Math.round(sinceStart(transfers[1]!.epochMs)),
          hypervisorStartedMs: Math.round(started.t),
          loginMs: Math.round(login.t),
        };
        writeFileSync(path.join(logDir, 'pxe-timings.json'), `${JSON.stringify(timings, null, 2)}\n`);
        console.log(`PXE boot timings (ms since QEMU start): ${JSON.stringify(timings)}; logs in ${logDir}`);
        expect(timings.vmmSentMs).toBeLessThanOrEqual(timings.hypervisorStartedMs + 1_000);
        // The router advertisements end iPXE's IPv6 autoconfiguration at once (without: ~16 s here).
        expect(timings.scriptSentMs - timings.dhcpAckMs).toBeLessThan(10_000);

        m.consoles.com1.send('poweroff\n');
        await m.exited;
        machine = undefined;
        expect(m.consoles.com2.text).not.toMatch(/PANIC/);
      });
    },
    30 * 60_000,
  );

  test('a failed start leaves no namespace, dnsmasq or vblade behind', async () => {
    const logDir = testLogDir('pxe-fail');
    const image = path.join(logDir, 'blank.img');
    await $`truncate -s 16M ${image}`;
    let seen: PxeServer | undefined;
    let tftpRoot = '';
    await expect(
      withPxeServer('pxefail', image, logDir, async (server) => {
        seen = server;
        tftpRoot = server.services.tftpRoot;
        expect(server.services.alive()).toBe(true);
        expect(await namespaces()).toContain(server.netns);
        // An invalid client (network boot and -kernel) fails after the services are up.
        machine = await startMachine({ ...pxeClient('pxe-fail', logDir, server, 16 * 2 ** 20), kernel: vmmImage });
      }),
    ).rejects.toThrow(/bootFrom 'network' and kernel exclude each other/);
    expect(seen).toBeDefined();
    expect(processAlive(seen!.services.pid)).toBe(false);
    expect(seen!.vblade.alive()).toBe(false);
    expect(existsSync(tftpRoot)).toBe(false);
    expect(await namespaces()).not.toContain(seen!.netns);
  }, 60_000);

  test('dnsmasq that cannot start (port 67 taken) is reported, and neither it nor its address stays', async () => {
    const netns = await createNetns(`vmm-pxedead-${process.pid}`);
    // Another DHCP server on the wire, in miniature: a socket holding UDP port 67 in the namespace.
    const holder = spawn('ip', [
      'netns',
      'exec',
      netns.name,
      'python3',
      '-c',
      "import socket,sys,time; s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); s.bind(('0.0.0.0',67)); print('bound',flush=True); time.sleep(120)",
    ]);
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout!.once('data', () => resolve());
        holder.once('exit', (code) => reject(new Error(`port holder exited ${code}`)));
      });
      await expect(
        startBootServices({
          netns: netns.name,
          ifname: 'tap0',
          program: { kind: 'multiboot', image: vmmImage, options: hypervisorOptions },
          logDir: testLogDir('pxe-dead'),
        }),
      ).rejects.toThrow(/dnsmasq exited \(\d+\) during start-up:[\s\S]*DHCP[\s\S]*in use/i);
      await stopProcess(holder);
      expect((await $`ip netns pids ${netns.name}`.quiet()).stdout.trim()).toBe('');
      expect(await netns.run(['ip', '-4', 'addr', 'show', 'dev', 'tap0'])).not.toMatch(/inet /);
      await expect(
        startBootServices({
          netns: netns.name,
          ifname: 'nosuch0',
          program: { kind: 'multiboot', image: vmmImage, options: hypervisorOptions },
          logDir: testLogDir('pxe-dead'),
        }),
      ).rejects.toThrow(/no interface "nosuch0" in network namespace/);
    } finally {
      await stopProcess(holder);
      await netns.destroy();
    }
    expect(await namespaces()).not.toContain(`vmm-pxedead-${process.pid}`);
  }, 60_000);
});
