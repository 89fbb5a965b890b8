// SPDX-License-Identifier: MIT
// Network-boot services (paper 4.7): dnsmasq (DHCP or proxy-DHCP, TFTP) on the server's interface
// inside a network namespace, serving a generated iPXE script that boots the hypervisor (vmm.elf,
// also served) or, for the iPXE sanboot alternative, the AoE target itself.
// The address is assigned inside the namespace only; dnsmasq is bound to that interface and runs no
// DNS. stop() (and every failure path) kills dnsmasq, removes the address and the TFTP folder.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { $ } from 'zx';
import { paths } from '../artifact/core/paths.js';
import { track } from '../artifact/testbed/reaper.js';
import {
  bootFiles,
  defaultBootSubnet,
  dnsmasqArgs,
  ipv6ServerAddress,
  ipxeScript,
  type BootMode,
  type BootSubnet,
} from './boot-config.js';
import { stopProcess } from './lab.js';

/** Debian package ipxe: iPXE as a PXE network boot program, for PXE ROMs that are not iPXE. */
export const debianUndionly = '/usr/lib/ipxe/undionly.kpxe';

export interface BootServicesOptions {
  /** Network namespace and the server's interface in it (e.g. createNetns(...).name and 'tap0'). */
  netns: string;
  ifname: string;
  /**
   * What the clients boot. multiboot: `image` (vmm/build/vmm.elf) is served as vmm.elf with
   * `options` after its name, e.g. 'aoe=1.1' (vmm/README.md, Options). sanboot-aoe: the target.
   */
  program: { kind: 'multiboot'; image: string; options: string } | { kind: 'sanboot-aoe'; shelf: number; slot: number };
  /** Default 'dhcp'. */
  mode?: BootMode;
  subnet?: BootSubnet;
  /** dnsmasq.log (timestamped lines) and the generated boot.ipxe are written there. */
  logDir: string;
  /**
   * IPv6 router advertisements on the wire (dnsmasq --enable-ra, prefix of ipv6ServerAddress), so
   * that iPXE's IPv6 autoconfiguration ends at once instead of after ~16 s. Default: on in 'dhcp'
   * mode, off (refused) in 'proxy' mode.
   */
  routerAdvertisement?: boolean;
  /** Chain-loaded by PXE ROMs that are not iPXE; default Debian's undionly.kpxe. */
  chainloader?: string;
  /** How long dnsmasq may take to say it serves TFTP. Default 10 s. */
  startTimeoutMs?: number;
}

/** One line dnsmasq logged, with the host's wall-clock time it arrived (Date.now()). */
export interface BootLogLine {
  epochMs: number;
  line: string;
}

/** A file dnsmasq's TFTP server finished sending. */
export interface TftpTransfer {
  epochMs: number;
  file: string;
  client: string;
}

export interface BootServices {
  mode: BootMode;
  serverAddress: string;
  pid: number;
  tftpRoot: string;
  /** The script clients run (also in logDir/boot.ipxe). */
  script: string;
  lines(): BootLogLine[];
  /** Completed TFTP transfers, in order ('boot.ipxe', 'vmm.elf', ...). */
  transfers(): TftpTransfer[];
  /** True while dnsmasq runs. */
  alive(): boolean;
  /** Stops dnsmasq, removes the address and the TFTP folder. Safe to call twice. */
  stop(): Promise<void>;
}

/** Starts dnsmasq in the namespace and waits until it serves DHCP and TFTP. */
export async function startBootServices(options: BootServicesOptions): Promise<BootServices> {
  const mode = options.mode ?? 'dhcp';
  const subnet = options.subnet ?? defaultBootSubnet;
  const { netns, ifname } = options;
  const { program } = options;
  const script = ipxeScript(program.kind === 'multiboot' ? { kind: 'multiboot', options: program.options } : program);
  if (!existsSync(paths.dnsmasq))
    throw new Error(
      `boot services: ${paths.dnsmasq} is missing: install Debian's dnsmasq-base (artifact/bootstrap.sh does)`,
    );
  const ip = (args: string[]) => $`ip -n ${netns} ${args}`.quiet();
  // The interface must be inside the namespace: nothing is configured in the host's namespace.
  const found = await ip(['link', 'show', 'dev', ifname]).nothrow();
  if (found.exitCode !== 0) {
    throw new Error(`boot services: no interface "${ifname}" in network namespace "${netns}": ${found.stderr.trim()}`);
  }

  const cleanups: (() => Promise<void>)[] = [];
  const cleanUp = async () => {
    for (const step of cleanups.splice(0).reverse()) await step().catch(() => undefined);
  };
  try {
    await mkdir(options.logDir, { recursive: true });
    const workDir = await mkdtemp(path.join(os.tmpdir(), 'bootsrv-'));
    cleanups.push(() => rm(workDir, { recursive: true, force: true }));
    // dnsmasq drops root for TFTP (user nobody): the folder and files must be world-readable.
    const tftpRoot = path.join(workDir, 'tftp');
    await mkdir(tftpRoot);
    await chmod(workDir, 0o755);
    await chmod(tftpRoot, 0o755);
    const served: string[] = [bootFiles.chainloader, bootFiles.script];
    if (program.kind === 'multiboot') {
      await copyFile(program.image, path.join(tftpRoot, bootFiles.hypervisor));
      served.push(bootFiles.hypervisor);
    }
    await copyFile(options.chainloader ?? debianUndionly, path.join(tftpRoot, bootFiles.chainloader));
    await writeFile(path.join(tftpRoot, bootFiles.script), script);
    for (const file of served) await chmod(path.join(tftpRoot, file), 0o644);
    await writeFile(path.join(options.logDir, bootFiles.script), script);

    const address = `${subnet.serverAddress}/${subnet.prefixLength}`;
    await ip(['addr', 'add', address, 'dev', ifname]);
    cleanups.push(async () => {
      await ip(['addr', 'del', address, 'dev', ifname]).nothrow();
    });

    const routerAdvertisement = options.routerAdvertisement ?? mode === 'dhcp';
    if (routerAdvertisement) {
      await ip(['-6', 'addr', 'add', ipv6ServerAddress, 'dev', ifname, 'nodad']);
      cleanups.push(async () => {
        await ip(['-6', 'addr', 'del', ipv6ServerAddress, 'dev', ifname]).nothrow();
      });
    }
    const args = dnsmasqArgs({
      routerAdvertisement,
      mode,
      ifname,
      subnet,
      tftpRoot,
      leaseFile: path.join(workDir, 'leases'),
      pidFile: path.join(workDir, 'dnsmasq.pid'),
    });
    // setpriv: the kernel kills dnsmasq if this Node process dies without cleaning up.
    const child = spawn(
      'ip',
      ['netns', 'exec', netns, 'setpriv', '--pdeathsig', 'SIGKILL', '--', paths.dnsmasq, ...args],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let spawnError: Error | undefined;
    child.on('error', (error) => (spawnError = error));
    const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
    if (child.pid === undefined)
      throw new Error(`could not start dnsmasq in namespace ${netns}: ${String(spawnError ?? 'no pid')}`);
    const untrack = track('pid', child.pid);
    child.once('exit', untrack);
    cleanups.push(() => stopProcess(child));
    const log = createWriteStream(path.join(options.logDir, 'dnsmasq.log'));
    cleanups.push(() => new Promise<void>((resolve) => log.end(resolve)));
    const lines = collectLines(child, (entry) => log.write(`${entry.epochMs} ${entry.line}\n`));

    await waitForLine(child, closed, lines, /TFTP root is/, options.startTimeoutMs ?? 10_000);
    const services: BootServices = {
      mode,
      serverAddress: subnet.serverAddress,
      pid: child.pid,
      tftpRoot,
      script,
      lines: () => [...lines],
      transfers: () => parseTransfers(lines),
      alive: () => child.exitCode === null && child.signalCode === null,
      stop: cleanUp,
    };
    return services;
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

/** Runs `body` with boot services up; they are stopped afterwards, whatever happens. */
export async function withBootServices<T>(
  options: BootServicesOptions,
  body: (services: BootServices) => Promise<T>,
): Promise<T> {
  const services = await startBootServices(options);
  try {
    return await body(services);
  } finally {
    await services.stop();
  }
}

/** dnsmasq 2.90's line for a finished transfer: "dnsmasq-tftp[PID]: sent /root/FILE to ADDR". */
export function parseTransfers(lines: BootLogLine[]): TftpTransfer[] {
  const transfers: TftpTransfer[] = [];
  for (const { epochMs, line } of lines) {
    const m = /dnsmasq-tftp\[\d+\]: sent (\S+) to (\S+)/.exec(line);
    if (m) transfers.push({ epochMs, file: path.basename(m[1]!), client: m[2]! });
  }
  return transfers;
}

function collectLines(child: ChildProcess, onLine: (entry: BootLogLine) => void): BootLogLine[] {
  const lines: BootLogLine[] = [];
  for (const stream of [child.stdout!, child.stderr!]) {
    let pending = '';
    stream.on('data', (data: Buffer) => {
      pending += data.toString();
      const parts = pending.split('\n');
      pending = parts.pop()!;
      for (const line of parts) {
        const entry = { epochMs: Date.now(), line };
        lines.push(entry);
        onLine(entry);
      }
    });
  }
  return lines;
}

async function waitForLine(
  child: ChildProcess,
  closed: Promise<void>,
  lines: BootLogLine[],
  pattern: RegExp,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!lines.some((l) => pattern.test(l.line))) {
    if (child.exitCode !== null || child.signalCode !== null) {
      // Its last words (the reason) may still be in the pipe.
      await Promise.race([closed, new Promise((r) => setTimeout(r, 1_000))]);
      throw new Error(
        `dnsmasq exited (${child.exitCode ?? child.signalCode}) during start-up:\n${lines.map((l) => l.line).join('\n')}`,
      );
    }
    if (Date.now() > deadline)
      throw new Error(`dnsmasq did not start serving within ${timeoutMs} ms:\n${lines.map((l) => l.line).join('\n')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
