// SPDX-License-Identifier: MIT
// The hardware testbed's client PC for one power-on: its consoles read from the described links,
// powered on and off as described, timed from the moment it was switched on.
import { performance } from 'node:perf_hooks';
import { failWaitsOnLastWords, SerialConsole } from '../console.js';
import { waitForShell } from '../guest-shell.js';
import type { HardwareDescription } from '../hardware-description.js';
import { openConsoleLink, type ConsoleLink } from './console-link.js';
import { powerControl, type WireEnd } from './power.js';
import { powerOnSimulatedPc, type QemuSimLab } from './qemu-sim.js';

/** A hardware testbed: the description, and for qemu-sim the simulated wire the PC is on. */
export interface HardwareTestbed {
  kind: 'hardware';
  description: HardwareDescription;
  simulator?: QemuSimLab;
}

/** A client PC that is switched on, on either testbed (a QEMU Machine has this shape too). */
export interface ClientPc {
  /** com1: the guest's console (ttyS0); com2: the hypervisor's, where the testbed has one. */
  consoles: { com1: SerialConsole; com2?: SerialConsole };
  /** Date.now() at power-on: aligns server-side samples with console times. */
  startedAtEpochMs: number;
  /** Rejects when the PC printed nothing at all for this long after power-on (real PCs only). */
  silence?: Promise<never>;
  powerOff(): Promise<unknown>;
}

/** Linux's last words before the PC switches itself off. */
const poweredDown = /reboot: Power down/;
const guestPowerOffTimeoutMs = 120_000;

/**
 * Switches the described client on with its consoles already listening (so GRUB's first line is
 * not lost) and returns it. `name` names the console logs (<logDir>/<name>.com1.log, ...), as for
 * QEMU PCs, so the same parsers read them; `wire` is where a Wake-on-LAN packet goes out.
 */
export async function powerOnHardwareClient(
  testbed: HardwareTestbed,
  options: { name: string; logDir: string; wire: WireEnd; log: (line: string) => void },
): Promise<ClientPc> {
  const { description, simulator } = testbed;
  if (simulator !== undefined) {
    const machine = await powerOnSimulatedPc(simulator, description, options.name, options.logDir);
    options.log(
      `simulated client ${description.client.mac} powered on through QMP (QEMU pid ${machine.pid}, accelerator ${machine.accel})`,
    );
    return machine;
  }
  const { client } = description;
  let origin = performance.now();
  const sinceOrigin = () => performance.now() - origin;
  const links: ConsoleLink[] = [];
  const closeLinks = () => Promise.all(links.map((link) => link.close()));
  const attach = async (spec: typeof client.console, port: 'com1' | 'com2', role: string) => {
    const link = await openConsoleLink(spec, role);
    links.push(link);
    return new SerialConsole(port, link.stream, sinceOrigin, options.logDir, options.name);
  };
  let consoles: ClientPc['consoles'];
  try {
    consoles = {
      com1: await attach(client.console, 'com1', 'client.console'),
      ...(client.hypervisorConsole === undefined
        ? {}
        : { com2: await attach(client.hypervisorConsole, 'com2', 'client.hypervisorConsole') }),
    };
  } catch (error) {
    await closeLinks();
    throw error;
  }
  failWaitsOnLastWords(consoles);
  const power = powerControl(client.power, client.mac);
  origin = performance.now();
  const startedAtEpochMs = Date.now();
  try {
    await power.on(options.wire);
  } catch (error) {
    await closeLinks();
    throw error;
  }
  options.log(`client ${client.mac} powered on (${client.power.kind})`);
  const allConsoles = Object.values(consoles);
  const heardFrom = () => allConsoles.some((c) => c.text.length > 0);
  const silence = silenceWatchdog(heardFrom, client.firstOutputSeconds * 1000, describeConsoles(description));
  return {
    consoles,
    startedAtEpochMs,
    silence: silence.promise,
    powerOff: async () => {
      silence.cancel();
      try {
        if (power.off !== undefined) await power.off();
        else if (heardFrom()) await guestPowerOff(consoles.com1);
        else options.log('the client never printed anything: nothing to switch off from here');
      } finally {
        await closeLinks();
        await Promise.all(allConsoles.map((c) => c.closeLogs()));
      }
    },
  };
}

function describeConsoles(description: HardwareDescription): string {
  const { console, hypervisorConsole } = description.client;
  const link = (spec: typeof console) =>
    spec.kind === 'serial' ? spec.device : spec.kind === 'command' ? `"${spec.argv.join(' ')}"` : spec.kind;
  return [link(console), ...(hypervisorConsole === undefined ? [] : [link(hypervisorConsole)])].join(' and ');
}

/** Rejects once, `afterMs` after power-on, if no console has printed anything; a quiet PC is not started or not wired. */
function silenceWatchdog(
  heardFrom: () => boolean,
  afterMs: number,
  consoles: string,
): { promise: Promise<never>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      if (!heardFrom()) {
        reject(
          new Error(
            `the client printed nothing on ${consoles} in ${afterMs / 1000} s after power-on: check that it switched on, ` +
              'that its firmware boots from the network first (PXE), and that the console is wired to its COM1 at 115200 8N1 ' +
              '(client.firstOutputSeconds sets this wait)',
          ),
        );
      }
    }, afterMs);
  });
  promise.catch(() => undefined);
  return { promise, cancel: () => clearTimeout(timer) };
}

/**
 * Without a power switch the pipeline can use (Wake-on-LAN, manual), the guest switches itself off:
 * a benchmark job powers off when it ends; after a plain boot, `poweroff` is typed into the
 * console's autologin root shell (the stock image's, artifact/images/rootfs-config.ts).
 */
async function guestPowerOff(console: SerialConsole): Promise<void> {
  if (!poweredDown.test(console.text)) {
    try {
      await console.waitFor(poweredDown, 10_000);
      return;
    } catch {
      // not powering off by itself: ask its shell
    }
    await waitForShell(console);
    console.send('poweroff\n');
    await console.waitFor(poweredDown, guestPowerOffTimeoutMs).catch(() => {
      throw new Error(
        `the client did not switch itself off within ${guestPowerOffTimeoutMs / 1000} s of "poweroff": switch it off by hand before the next repetition`,
      );
    });
  }
}
