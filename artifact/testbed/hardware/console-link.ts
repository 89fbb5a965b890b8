// SPDX-License-Identifier: MIT
import { spawn } from 'node:child_process';
import { Duplex } from 'node:stream';
import type { ConsoleLinkSpec } from '../hardware-description.js';
import { track } from '../reaper.js';
import { openSerialLine } from './serial-line.js';

/** A console of a real client PC, as a byte stream (what SerialConsole reads and types into). */
export interface ConsoleLink {
  stream: Duplex;
  /** Closes the device or stops the console command. */
  close(): Promise<void>;
}

/** A console command that exits within this time did not connect (wrong host, password, SOL busy). */
const commandSettleMs = 1_500;

/**
 * Opens the console described by `spec`: a serial device, or a command whose stdin/stdout is the
 * console (e.g. ipmitool ... sol activate). kind 'qemu-sim' has no link of its own: the simulated
 * PC's consoles come with the PC (hardware/qemu-sim.ts).
 */
export async function openConsoleLink(spec: ConsoleLinkSpec, role: string): Promise<ConsoleLink> {
  switch (spec.kind) {
    case 'serial': {
      const stream = await openSerialLine(spec.device, spec.baud);
      return { stream, close: async () => void stream.destroy() };
    }
    case 'command':
      return openConsoleCommand(spec.argv, role);
    case 'qemu-sim':
      throw new Error(`${role}: kind "qemu-sim" is the simulated PC's own console; it has no link to open`);
  }
}

async function openConsoleCommand(argv: readonly string[], role: string): Promise<ConsoleLink> {
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (data: Buffer) => (stderr = (stderr + data.toString()).slice(-2000)));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const failed = new Promise<Error>((resolve) => child.on('error', resolve));
  const untrack = child.pid === undefined ? () => false : track('pid', child.pid);
  const early = await Promise.race([
    exited.then((code) => `exited with status ${code}`),
    failed.then((error) => error.message),
    new Promise<undefined>((resolve) => setTimeout(resolve, commandSettleMs)),
  ]);
  if (early !== undefined) {
    untrack();
    throw new Error(
      `${role} command "${argv.join(' ')}" ${early} before the client was powered on: ${stderr.trim() || 'no output'}. Run it by hand to see why.`,
    );
  }
  const stream = Duplex.from({ readable: child.stdout, writable: child.stdin });
  return {
    stream,
    close: async () => {
      child.kill('SIGTERM');
      await exited;
      untrack();
    },
  };
}
