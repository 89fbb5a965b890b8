// SPDX-License-Identifier: MIT
// The hardware driver's parts users run on real PCs, on real stand-ins: a pty as the serial line,
// a shell command as a serial-over-LAN console, a real Wake-on-LAN packet on a veth no PC answers.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { $ } from 'zx';
import { afterEach, describe, expect, test } from 'vitest';
import { SerialConsole } from '../testbed/console.js';
import { createNetns, type Netns } from '../testbed/netns.js';
import { hardwareDescriptionSchema, type HardwareDescription } from '../testbed/hardware-description.js';
import { openConsoleLink } from '../testbed/hardware/console-link.js';
import { powerOnHardwareClient } from '../testbed/hardware/client.js';
import { ipmiPowerArgv, wakeOnLanArgv } from '../testbed/hardware/power.js';
import { openQemuSimLab } from '../testbed/hardware/qemu-sim.js';
import { claimServerInterface } from '../testbed/hardware/server-interface.js';
import { waitForConsole } from '../../experiments/shared/client-pc.js';

/**
 * A pty whose other side this test plays: a python3 process that prints the slave's path, writes
 * each line it reads on stdin to the line, and answers "hello" with "you said hello".
 */
async function fakeSerialPeer(): Promise<{ device: string; say: (text: string) => void; stop: () => void }> {
  const script = `
import os, pty, select, sys
master, slave = pty.openpty()
print(os.ttyname(slave), flush=True)
heard = b""
while True:
    ready, _, _ = select.select([master, sys.stdin], [], [])
    if master in ready:
        try:
            heard += os.read(master, 1024)
        except OSError:
            heard = b""
        if b"hello" in heard:
            os.write(master, b"you said hello\\r\\n")
            heard = b""
    if sys.stdin in ready:
        line = sys.stdin.readline()
        if not line:
            break
        os.write(master, line.encode())
`;
  const peer: ChildProcessWithoutNullStreams = spawn('python3', ['-u', '-c', script]);
  const device = await new Promise<string>((resolve) => createInterface({ input: peer.stdout }).once('line', resolve));
  return { device, say: (text) => peer.stdin.write(text), stop: () => peer.kill() };
}

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function description(client: Partial<HardwareDescription['client']>, serverInterface = 'eth9'): HardwareDescription {
  return hardwareDescriptionSchema.parse({
    name: 'driver-test',
    client: {
      mac: '00:1b:21:0a:0b:0c',
      cpuVendor: 'amd',
      firmware: 'bios',
      diskMode: 'ide',
      nic: { model: 'PRO/1000', pciId: '8086:100e' },
      console: { kind: 'qemu-sim' },
      power: { kind: 'qemu-sim' },
      ...client,
    },
    server: { interface: serverInterface, mtu: 1500 },
    experiments: ['fig04-boot-time'],
  });
}

describe('hardware driver parts', () => {
  test('a serial console over a tty device: raw bytes both ways, logged with timestamps', async () => {
    const peer = await fakeSerialPeer();
    cleanups.push(peer.stop);
    const logDir = await mkdtemp(path.join(os.tmpdir(), 'serial-'));
    const link = await openConsoleLink({ kind: 'serial', device: peer.device, baud: 115200 }, 'client.console');
    cleanups.push(link.close);
    const console = new SerialConsole('com1', link.stream, () => 0, logDir, 'client');
    peer.say('GRUB loading.\n');
    await console.waitFor(/GRUB loading\./, 5_000);
    console.send('hello\n');
    await console.waitFor(/you said hello/, 5_000);
    await link.close();
    await console.closeLogs();
    expect(await readFile(path.join(logDir, 'client.com1.log'), 'latin1')).toContain('you said hello');
  });

  test('a missing console device, and a console command that exits at once, are refused with what to check', async () => {
    await expect(
      openConsoleLink({ kind: 'serial', device: '/dev/ttyUSB97', baud: 115200 }, 'client.console'),
    ).rejects.toThrow(/console device \/dev\/ttyUSB97 does not exist: check the cable/);
    await expect(
      openConsoleLink(
        {
          kind: 'command',
          argv: ['sh', '-c', 'echo "Error: Unable to establish IPMI v2 / RMCP+ session" >&2; exit 1'],
        },
        'client.console',
      ),
    ).rejects.toThrow(
      /client\.console command "sh -c .*" exited with status 1 before the client was powered on: Error: Unable to establish IPMI/,
    );
    const link = await openConsoleLink(
      { kind: 'command', argv: ['sh', '-c', 'echo console up; cat'] },
      'client.console',
    );
    cleanups.push(link.close);
    const console = new SerialConsole(
      'com1',
      link.stream,
      () => 0,
      await mkdtemp(path.join(os.tmpdir(), 'cmd-')),
      'client',
    );
    await console.waitFor(/console up/, 5_000);
    console.send('typed back\n');
    await console.waitFor(/typed back/, 5_000);
  });

  test('power commands: IPMI reads the password from its file, Wake-on-LAN leaves through the claimed interface', () => {
    expect(
      ipmiPowerArgv({ kind: 'ipmi', host: '10.0.0.21', user: 'admin', passwordFile: '/root/.ipmi' }, 'on'),
    ).toEqual([
      'ipmitool',
      '-I',
      'lanplus',
      '-H',
      '10.0.0.21',
      '-U',
      'admin',
      '-f',
      '/root/.ipmi',
      'chassis',
      'power',
      'on',
    ]);
    expect(wakeOnLanArgv({ netns: 'aoe-1-1', ifname: 'eth1' }, '00:1b:21:0a:0b:0c')).toEqual([
      'ip',
      'netns',
      'exec',
      'aoe-1-1',
      'etherwake',
      '-i',
      'eth1',
      '00:1b:21:0a:0b:0c',
    ]);
  });

  test('a client that never answers: the magic packet goes out, and the wait ends early saying what to check; nothing is left', async () => {
    const peer = await fakeSerialPeer();
    cleanups.push(peer.stop);
    const netns: Netns = await createNetns(`hwdrv-${process.pid}`, { taps: [] });
    cleanups.push(() => netns.destroy());
    await netns.run(['ip', 'link', 'add', 'srv0', 'type', 'veth', 'peer', 'name', 'pc0']);
    for (const end of ['srv0', 'pc0']) await netns.run(['ip', 'link', 'set', end, 'up']);
    const received = async () => Number(await netns.run(['cat', '/sys/class/net/pc0/statistics/rx_packets']));
    const before = await received();
    const testbed = {
      kind: 'hardware' as const,
      description: description({
        console: { kind: 'serial', device: peer.device, baud: 115200 },
        power: { kind: 'wake-on-lan' },
        firstOutputSeconds: 2,
      }),
    };
    const logDir = await mkdtemp(path.join(os.tmpdir(), 'silent-'));
    const log: string[] = [];
    const client = await powerOnHardwareClient(testbed, {
      name: 'client',
      logDir,
      wire: { netns: netns.name, ifname: 'srv0' },
      log: (line) => log.push(line),
    });
    expect(await received()).toBeGreaterThan(before);
    await expect(waitForConsole(client, /login: /, 60_000, 'com1', 'prompt')).rejects.toThrow(
      /the client printed nothing on \/dev\/pts\/\d+ in 2 s after power-on: check that it switched on, that its firmware boots from the network first/,
    );
    await client.powerOff();
    expect(log.join('\n')).toMatch(/never printed anything/);
    expect((await $`pgrep -f etherwake`.quiet().nothrow()).stdout).toBe('');
  });

  test('manual power without an operator at a terminal is refused, and the console is closed again', async () => {
    const peer = await fakeSerialPeer();
    cleanups.push(peer.stop);
    const testbed = {
      kind: 'hardware' as const,
      description: description({
        console: { kind: 'serial', device: peer.device, baud: 115200 },
        power: { kind: 'manual' },
      }),
    };
    const logDir = await mkdtemp(path.join(os.tmpdir(), 'manual-'));
    await expect(
      powerOnHardwareClient(testbed, {
        name: 'client',
        logDir,
        wire: { netns: 'none', ifname: 'none' },
        log: () => undefined,
      }),
    ).rejects.toThrow(/power kind "manual" needs an operator at a terminal/);
  });

  test('the server interface: a missing one and the one carrying the default route are refused before anything moves', async () => {
    await expect(claimServerInterface('nosuch0', 'none', 1500)).rejects.toThrow(
      /server\.interface nosuch0 does not exist on this host/,
    );
    const routes = JSON.parse((await $`ip -j route show default`.quiet()).stdout || '[]') as { dev?: string }[];
    const uplink = routes[0]?.dev;
    if (uplink !== undefined)
      await expect(claimServerInterface(uplink, 'none', 1500)).rejects.toThrow(
        /carries this host's default route: .* dedicated to the client's wire/,
      );
  });

  test('qemu-sim refuses a server interface name the host already uses', async () => {
    await expect(openQemuSimLab(description({}, 'lo'))).rejects.toThrow(
      /already has an interface named lo; give server\.interface a free name/,
    );
  });
});
