// SPDX-License-Identifier: MIT
import { createInterface } from 'node:readline/promises';
import { $ } from 'zx';
import type { PowerSpec } from '../hardware-description.js';

/** The server's side of the client's wire while a repetition holds it (network namespace and interface). */
export interface WireEnd {
  netns: string;
  ifname: string;
}

/** Powers a real client on, and off where the power kind can (IPMI); see hardware/client.ts. */
export interface PowerControl {
  on(wire: WireEnd): Promise<void>;
  /** Absent where only the guest can switch the PC off (Wake-on-LAN, manual). */
  off?: () => Promise<void>;
}

/** ipmitool's argv for a chassis power action; the password is read from a file, never put in argv. */
export function ipmiPowerArgv(spec: Extract<PowerSpec, { kind: 'ipmi' }>, action: 'on' | 'off' | 'status'): string[] {
  return [
    'ipmitool',
    '-I',
    'lanplus',
    '-H',
    spec.host,
    '-U',
    spec.user,
    '-f',
    spec.passwordFile,
    'chassis',
    'power',
    action,
  ];
}

/** etherwake's argv: the magic packet leaves through the server's interface, inside the run's namespace. */
export function wakeOnLanArgv(wire: WireEnd, mac: string): string[] {
  return ['ip', 'netns', 'exec', wire.netns, 'etherwake', '-i', wire.ifname, mac];
}

/** What the operator is asked to do for power kind 'manual'. */
export const manualPowerOnPrompt = (mac: string) => `Power on the client PC (NIC ${mac}) now, then press Enter here.`;

/** Power control for kinds other than 'qemu-sim' (whose power is the simulated PC's monitor). */
export function powerControl(spec: PowerSpec, clientMac: string): PowerControl {
  switch (spec.kind) {
    case 'ipmi':
      return {
        on: async () => void (await runPowerCommand(ipmiPowerArgv(spec, 'on'))),
        off: async () => void (await runPowerCommand(ipmiPowerArgv(spec, 'off'))),
      };
    case 'wake-on-lan':
      return { on: async (wire) => void (await runPowerCommand(wakeOnLanArgv(wire, clientMac))) };
    case 'manual':
      return { on: () => askOperator(manualPowerOnPrompt(clientMac)) };
    case 'qemu-sim':
      throw new Error(
        'power kind "qemu-sim" is the simulated PC\'s monitor (hardware/qemu-sim.ts), not a power control',
      );
  }
}

/** Runs ipmitool or etherwake; whether they are installed was checked up front (hardwareAccessProblems). */
async function runPowerCommand(argv: string[]): Promise<string> {
  const result = await $`${argv}`.quiet().nothrow();
  if (result.exitCode !== 0) {
    throw new Error(
      `power command "${argv.join(' ')}" failed with status ${result.exitCode}: ${result.stderr.trim() || result.stdout.trim()}`,
    );
  }
  return result.stdout;
}

async function askOperator(prompt: string): Promise<void> {
  if (!process.stdin.isTTY)
    throw new Error(
      `power kind "manual" needs an operator at a terminal (stdin is not one); "${prompt}" cannot be asked`,
    );
  const readline = createInterface({ input: process.stdin, output: process.stderr });
  try {
    await readline.question(`\n${prompt}\n`);
  } finally {
    readline.close();
  }
}
