// SPDX-License-Identifier: MIT
/**
 * A PC emulated by Bochs (Debian 12's bochs 2.7 with bochs-term): the testbed's Intel CPU with
 * VT-x, EPT and unrestricted guest, which QEMU's TCG does not emulate (issue 22). The PC has
 * i440FX, IDE with a CD-ROM to boot from, and two serial ports; each port is a TCP connection
 * Bochs opens to this process at start (`socket-client`), so it is a SerialConsole as a QEMU
 * machine's is. Bochs runs under `script` because its only headless display, `term`, needs a
 * terminal; the screen it draws goes to <name>.bochs.log. Debian builds Bochs with its debugger,
 * which waits at a prompt unless told to continue (the `-rc` file). What Bochs does differently
 * from QEMU: vmm/README.md.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import net from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { failWaitsOnLastWords, SerialConsole } from './console.js';
import type { ExitStatus } from './machine.js';
import { track } from './reaper.js';
import type { SerialPort } from './spec.js';

export interface BochsSpec {
  name: string;
  logDir: string;
  /** Bochs' CPU model; an Intel one has VMX with EPT and unrestricted guest. */
  cpuModel?: string;
  memoryMb?: number;
  /** The ISO image the PC boots from (ata1 master). */
  cdrom: string;
  /** Instructions per emulated second: with `clock: sync=none` it sets how fast guest time runs. */
  ips?: number;
}

export const bochsDefaults = { cpuModel: 'corei7_haswell_4770', memoryMb: 512, ips: 200_000_000 } as const;

const biosDir = '/usr/share/bochs';
const connectTimeoutMs = 60_000;

export interface BochsMachine {
  spec: BochsSpec;
  /** com1 = guest console, com2 = hypervisor console, as on the QEMU testbed. */
  consoles: Record<SerialPort, SerialConsole>;
  elapsedMs(): number;
  exited: Promise<ExitStatus>;
  /** Stops Bochs for sure. Safe to call repeatedly. */
  kill(): Promise<ExitStatus>;
}

/** The configuration file Bochs reads (`-f`): one line per device. */
export function bochsConfig(spec: BochsSpec, comPorts: Record<SerialPort, number>, eventLog: string): string {
  const cpuModel = spec.cpuModel ?? bochsDefaults.cpuModel;
  return [
    `megs: ${spec.memoryMb ?? bochsDefaults.memoryMb}`,
    `cpu: model=${cpuModel}, count=1, ips=${spec.ips ?? bochsDefaults.ips}`,
    // guest time follows executed instructions, not the host's clock
    'clock: sync=none, time0=utc',
    `romimage: file=${biosDir}/BIOS-bochs-latest`,
    `vgaromimage: file=${biosDir}/VGABIOS-lgpl-latest`,
    'pci: enabled=1, chipset=i440fx',
    'ata0: enabled=1, ioaddr1=0x1f0, ioaddr2=0x3f0, irq=14',
    'ata1: enabled=1, ioaddr1=0x170, ioaddr2=0x370, irq=15',
    `ata1-master: type=cdrom, path=${spec.cdrom}, status=inserted`,
    'boot: cdrom',
    'display_library: term',
    // Bochs' ALSA sound plugin aborts it ("buffer overflow detected") in this setting
    'speaker: enabled=0',
    'sound: driver=dummy',
    `com1: enabled=1, mode=socket-client, dev=127.0.0.1:${comPorts.com1}`,
    `com2: enabled=1, mode=socket-client, dev=127.0.0.1:${comPorts.com2}`,
    `log: ${eventLog}`,
    'panic: action=fatal',
    'error: action=report',
    'info: action=ignore',
    'debug: action=ignore',
    '',
  ].join('\n');
}

/** One port: a listening socket Bochs connects to at start. */
async function listenForPort(): Promise<{ port: number; connection: Promise<net.Socket>; close(): void }> {
  const server = net.createServer();
  const connection = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const port = (server.address() as net.AddressInfo).port;
  return { port, connection, close: () => server.close() };
}

/**
 * Starts a Bochs PC as described by `spec` and connects its serial ports. Files in spec.logDir:
 * <name>.bochsrc, <name>.bochs.log (the screen and Bochs' own output), <name>.events.log (Bochs'
 * log: panics, errors), <name>.com1.log / .com2.log and their .timed.log.
 */
export async function startBochsMachine(spec: BochsSpec): Promise<BochsMachine> {
  // existsSync follows the VGA BIOS's link into Debian's vgabios package
  for (const file of [`${biosDir}/BIOS-bochs-latest`, `${biosDir}/VGABIOS-lgpl-latest`, spec.cdrom])
    if (!existsSync(file))
      throw new Error(
        `${file} is missing${file === spec.cdrom ? '' : ': run artifact/bootstrap.sh (it installs bochs, bochsbios and vgabios)'}`,
      );

  await mkdir(spec.logDir, { recursive: true });
  const base = path.join(spec.logDir, spec.name);
  const listeners = { com1: await listenForPort(), com2: await listenForPort() };
  const config = `${base}.bochsrc`;
  const continueCommand = `${base}.debugger-commands`;
  await writeFile(
    config,
    bochsConfig(spec, { com1: listeners.com1.port, com2: listeners.com2.port }, `${base}.events.log`),
  );
  await writeFile(continueCommand, 'c\n');

  const origin = performance.now();
  const elapsedMs = () => performance.now() - origin;
  // setpriv: the kernel kills Bochs' terminal wrapper if this process dies without cleaning up
  const child = spawn(
    'setpriv',
    [
      '--pdeathsig',
      'SIGKILL',
      '--',
      'script',
      '-q',
      '-e',
      '-c',
      `bochs -q -f ${config} -rc ${continueCommand}`,
      '/dev/null',
    ],
    { stdio: ['pipe', 'pipe', 'pipe'], detached: true, env: { ...process.env, TERM: 'vt100' } },
  );
  if (child.pid === undefined) throw new Error('could not start bochs under script (run artifact/bootstrap.sh)');
  const pid = child.pid;
  const untrack = track('pid', -pid); // the process group: script and bochs
  const screen = createWriteStream(`${base}.bochs.log`);
  let lastOutput = '';
  for (const stream of [child.stdout, child.stderr])
    stream.on('data', (data: Buffer) => {
      screen.write(data);
      lastOutput = (lastOutput + data.toString('latin1')).slice(-4000);
    });
  const consoles: Partial<Record<SerialPort, SerialConsole>> = {};
  const sockets: net.Socket[] = [];
  const processExited = new Promise<ExitStatus>((resolve) =>
    child.on('exit', (code, signal) => {
      untrack();
      resolve({ code, signal });
    }),
  );
  const exited = processExited.then(async (status) => {
    // a TCP port's last bytes can arrive after Bochs exited: take them before closing the logs
    await Promise.all(
      sockets.map((socket) =>
        socket.closed ? undefined : Promise.race([once(socket, 'close'), sleep(2_000).then(() => socket.destroy())]),
      ),
    );
    await Promise.all(Object.values(consoles).map((c) => c.closeLogs()));
    await new Promise<void>((r) => screen.end(r));
    return status;
  });
  const kill = async (): Promise<ExitStatus> => {
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(-pid, 'SIGKILL');
      await processExited;
    }
    return exited;
  };

  try {
    const gone = processExited.then((status) => {
      throw new Error(
        `Bochs for "${spec.name}" exited (${status.code ?? status.signal}) during start-up:\n${lastOutput}`,
      );
    });
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(
        () => reject(new Error(`Bochs for "${spec.name}" did not open its serial ports within ${connectTimeoutMs} ms`)),
        connectTimeoutMs,
      ).unref(),
    );
    for (const port of ['com1', 'com2'] as const) {
      const socket = await Promise.race([listeners[port].connection, gone, timeout]);
      sockets.push(socket);
      consoles[port] = new SerialConsole(port, socket, elapsedMs, spec.logDir, spec.name);
    }
    failWaitsOnLastWords(consoles as Record<SerialPort, SerialConsole>);
  } catch (error) {
    await kill();
    throw error;
  } finally {
    listeners.com1.close();
    listeners.com2.close();
  }
  return { spec, consoles: consoles as Record<SerialPort, SerialConsole>, elapsedMs, exited, kill };
}
