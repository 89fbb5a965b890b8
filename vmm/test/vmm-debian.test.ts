// SPDX-License-Identifier: MIT
// The stock Debian image boots from the local IDE disk through the hypervisor (the paper's
// "VMM + local disk" configuration): checks from inside the guest that the hypervisor is
// invisible except for the memory it takes, and that reboot and poweroff behave as on hardware.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ensureDebianImage } from '../../artifact/images/index.js';
import { parseExitCountLines } from '../../experiments/shared/hypervisor-exits.js';
import {
  rootPrompt,
  runInShell,
  startMachine,
  waitForShell,
  type ExitStatus,
  type Machine,
} from '../../artifact/testbed/index.js';
import {
  buildHypervisor,
  hypervisorRange,
  isHidden,
  testLogDir,
  vmmImage,
  type MemoryRange,
} from './support/hypervisor.js';
import { guestHypercall } from '../../experiments/shared/guest-hypercall.js';

const bootTimeoutMs = 10 * 60_000;
let machine: Machine | undefined;
let imagePath = '';

beforeAll(async () => {
  buildHypervisor();
  imagePath = (await ensureDebianImage()).path;
}, 30 * 60_000);

afterAll(async () => {
  await machine?.kill();
});

/** Runs a shell command on the guest console and returns what it printed. */
async function guestShell(m: Machine, command: string): Promise<string> {
  return (await runInShell(m.consoles.com1, command)).output;
}

test(
  'stock Debian boots through the hypervisor; it is invisible; reboot and poweroff work',
  async () => {
    machine = await startMachine({
      name: 'debian-vmm-local',
      logDir: testLogDir('debian'),
      kernel: vmmImage,
      disks: [{ kind: 'image', path: imagePath, format: 'raw', mode: 'snapshot' }],
    });
    const m = machine;
    await m.consoles.com1.waitForPrompt(rootPrompt, bootTimeoutMs);
    const hv = m.consoles.com2.text;
    expect(hv).toMatch(/vmm: guest reads the E820 map/);
    // The interrupt management module saw Linux move the legacy PIC vectors (to 30h-3Fh).
    expect(hv).toMatch(/guest programmed the master PIC: IRQ 0-7 at vectors 30-37/);
    expect(hv).toMatch(/guest programmed the slave PIC: IRQ 8-15 at vectors 38-3f/);

    // The E820 map Linux received lacks the hypervisor's RAM.
    const e820 = await guestShell(m, "dmesg | grep 'BIOS-e820: \\[mem'");
    const map: MemoryRange[] = [...e820.matchAll(/BIOS-e820: \[mem 0x([0-9a-f]+)-0x([0-9a-f]+)\] (\w+)/g)].map((x) => ({
      start: BigInt(`0x${x[1]}`),
      end: BigInt(`0x${x[2]}`),
      usable: x[3] === 'usable',
    }));
    expect(map.length).toBeGreaterThan(3);
    expect(isHidden(map, hypervisorRange(hv))).toBe(true);

    // No SVM for the guest.
    const cpu = await guestShell(m, 'echo "@@SVM=$(grep -cw svm /proc/cpuinfo)"');
    expect(cpu).toMatch(/@@SVM=0\b/);

    // Every PCI function QEMU emulates is visible to the guest.
    const pci = await guestShell(m, 'echo "@@PCI=$(ls /sys/bus/pci/devices | wc -l)"');
    const seenByGuest = Number(/@@PCI=(\d+)/.exec(pci)![1]);
    const buses = (await m.qmp('query-pci')) as { devices: unknown[] }[];
    expect(seenByGuest).toBe(buses.reduce((n, bus) => n + bus.devices.length, 0));

    // The disk runs with bus-master DMA (ata_piix), untouched by the hypervisor.
    const ata = await guestShell(m, 'echo "@@XFER=$(cat /sys/class/ata_device/dev1.0/xfer_mode)"');
    expect(ata).toMatch(/@@XFER=XFER_(MW_DMA|UDMA)_\d/);

    // A hypercall from user space (the default hypercalls=kernel) raises #UD, as VMMCALL does on a
    // PC without the hypervisor: the process dies of SIGILL (128 + 4), the hypervisor runs on.
    const user = await guestShell(m, `${guestHypercall('AOE_STATS_LOG')}; echo "@@HYPERCALL=$?"`);
    expect(user).toMatch(/@@HYPERCALL=132\b/);

    // reboot: the platform resets, the loader starts the hypervisor again, the guest comes back.
    await waitForShell(m.consoles.com1);
    m.consoles.com1.send('reboot\n');
    await m.consoles.com2.waitFor(/netboot hypervisor starting/, bootTimeoutMs);
    await m.consoles.com2.waitFor(/netboot hypervisor starting/, bootTimeoutMs);
    await m.consoles.com1.waitFor(/Loading Linux/, bootTimeoutMs);
    await m.consoles.com1.waitForPrompt(rootPrompt, bootTimeoutMs);

    // The hypervisor was in control all along: it counted exits by reason.
    const soFar = parseExitCountLines(m.consoles.com2.text).filter((line) => line.when === 'so far');
    expect(soFar.length).toBeGreaterThan(0);
    expect(soFar.at(-1)!.byReason['cpuid']).toBeGreaterThan(0);

    // poweroff: ACPI power-off reaches the hardware, QEMU ends. Right after login systemd may
    // still refuse ("Failed to connect to bus"), so ask again until it goes down.
    let status: ExitStatus | undefined;
    for (let attempt = 0; attempt < 5 && status === undefined; attempt++) {
      await waitForShell(m.consoles.com1);
      m.consoles.com1.send('poweroff\n');
      status = await Promise.race([m.exited, new Promise<undefined>((r) => setTimeout(() => r(undefined), 60_000))]);
    }
    expect(status?.code).toBe(0);
    expect(m.consoles.com1.text).toMatch(/reboot: Power down/);
  },
  3 * bootTimeoutMs,
);
