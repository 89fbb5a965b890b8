// SPDX-License-Identifier: MIT
// The paper's system end to end: the client PC has only a placeholder disk; the hypervisor traps
// the primary IDE channel and serves it from the patched vblade over AoE, so the guest boots the
// server's image without knowing. First the real-mode probe guest (BIOS PIO path), then stock
// Debian (GRUB through the BIOS, Linux ata_piix with bus-master DMA and IRQ 14).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { ensureDebianImage, withMountedRoot } from '../../artifact/images/index.js';
import {
  createNetns,
  runInShell,
  startMachine,
  type Machine,
  type MachineSpec,
  type Netns,
} from '../../artifact/testbed/index.js';
import { parseExitCountLines } from '../../experiments/shared/hypervisor-exits.js';
import { buildServer, spawnVblade, stopProcess, type RunningServer } from '../../server/lab.js';
import { buildHypervisor, probeGuestImage } from './support/hypervisor.js';
import { networkBootClient, privateCopy, type PrivateCopy } from './support/network-boot.js';

const guestMac = '52:54:00:a0:e0:02';
const target = { shelf: 1, slot: 1 };
let machine: Machine | undefined;
let netns: Netns | undefined;
let vblade: RunningServer | undefined;
let disk: PrivateCopy | undefined;

beforeAll(() => {
  buildHypervisor();
  buildServer();
}, 180_000);

afterEach(async () => {
  await machine?.kill();
  machine = undefined;
  await stopProcess(vblade?.process);
  vblade = undefined;
  await netns?.destroy();
  netns = undefined;
  disk?.dispose();
  disk = undefined;
});

/** Serves `image` as e1.1 in a fresh namespace (once per test) and powers on a client that boots it. */
async function bootOverAoe(name: string, image: string, extra: Partial<MachineSpec> = {}): Promise<Machine> {
  netns ??= await createNetns(`vmm-aoeboot-${process.pid}`);
  vblade ??= spawnVblade({ netns: netns.name, ifname: netns.taps[0]!, image, ...target });
  machine = await startMachine(
    networkBootClient(name, { image, ...target }, { netns: netns.name, tap: netns.taps[0]!, mac: guestMac }, extra),
  );
  return machine;
}

/**
 * Answers the probe's question with the hidden NIC's BARs as the hypervisor fenced them, the IDE
 * bus master's ports, the address of the NIC's configuration space in the ECAM window
 * (`ecamBase` + its bus/device/function; 0 on a PCI chipset) and the hypervisor's own base.
 */
async function answerProbe(m: Machine, ecamBase: number | undefined) {
  const memory = await m.consoles.com2.waitFor(/BAR\d: memory ([0-9a-f]+)-[0-9a-f]+ fenced/, 180_000);
  const ports = await m.consoles.com2.waitFor(/BAR\d: ports ([0-9a-f]+)-[0-9a-f]+ fenced/, 10_000);
  const busMaster = await m.consoles.com2.waitFor(/primary channel captured \(.*bus master ([0-9a-f]+)\)/, 10_000);
  const nic = /PCI ([0-9a-f]{2}):([0-9a-f]{2})\.([0-7]) hidden from the guest/.exec(m.consoles.com2.text)!;
  const [bus, device, fn] = nic.slice(1).map((x) => parseInt(x, 16));
  const ecam = ecamBase === undefined ? 0 : ecamBase + bus! * 2 ** 20 + device! * 2 ** 15 + fn! * 2 ** 12;
  const hypervisor = /vmm: running at ([0-9a-f]+)-/.exec(m.consoles.com2.text)![1];
  await m.consoles.com1.waitForPrompt(/probe: nic bars\? /, 180_000);
  const answer = [memory.match[1], ports.match[1], busMaster.match[1], ecam.toString(16), hypervisor];
  m.consoles.com1.send(`${answer.join(' ')}\r`);
  return { memory, ecam };
}

describe('network boot through the hypervisor', () => {
  test("the real-mode probe boots from the AoE target through the BIOS; port I/O straddling the captured ports is split, not fatal; machine-wide MSRs are the guest's own copies; the hidden NIC's BARs are fenced", async () => {
    disk = privateCopy(probeGuestImage, 'probe-image');
    const m = await bootOverAoe('aoe-probe', disk.path);
    const { memory } = await answerProbe(m, undefined); // QEMU pc: PCI, no ECAM window
    await m.consoles.com1.waitFor(/probe: done\r?\n/, 180_000);
    const hv = m.consoles.com2.text;
    expect(hv).toMatch(/IDE [0-9a-f:.]+ primary channel captured/);
    expect(hv).toMatch(/PCI [0-9a-f:.]+ hidden from the guest/);
    // The boot sector and sector 8 came from the server: the placeholder disk reads zeros.
    expect(m.consoles.com1.text).toMatch(/probe: started by the BIOS boot path, dl=80/);
    expect(m.consoles.com1.text).toMatch(/probe: lba8 netboot-probe-sector-8/);
    // A 32-bit IN at 1EEh reaches the captured ATA ports: split into bytes, not a stop.
    expect(m.consoles.com1.text).toMatch(/probe: inl 1ee [0-9a-f]{8}/);
    expect(hv).toMatch(/I\/O: 4-byte access at port 1ee spans claimed and other ports: split into bytes/);
    expect(m.consoles.com1.text).toMatch(/probe: efer reserved bit write #GP 01/);
    // Machine-wide MSRs: the guest reads back what it wrote; the CPU kept its own values.
    expect(m.consoles.com1.text).toMatch(/probe: top_mem wrote 40000000 read 40000000/);
    const mtrr = /probe: mtrr def type wrote ([0-9a-f]{8}) read ([0-9a-f]{8})/.exec(m.consoles.com1.text);
    expect(mtrr?.[2]).toBe(mtrr?.[1]);
    const cpuKeeps = (msr: string, wrote: number) => {
      const line = new RegExp(
        `guest wrote MSR ${msr} = ([0-9a-f]+): kept as the guest's own copy; the CPU keeps ([0-9a-f]+)`,
      );
      const logged = line.exec(hv);
      expect(logged, `no line for MSR ${msr}`).not.toBeNull();
      expect(parseInt(logged![1]!, 16)).toBe(wrote);
      expect(parseInt(logged![2]!, 16)).not.toBe(wrote);
    };
    cpuKeeps('c001001a', 0x40000000);
    cpuKeeps('2ff', parseInt(mtrr![1]!, 16));
    // REP INSW from the captured data port into a page that is not present: #PF at that page
    // with 128 of 256 words done, and the instruction resumes after the guest maps it.
    expect(m.consoles.com1.text).toMatch(
      /probe: rep insw #PF cr2 00020000 error 00000002 ecx 00000080; after ecx 00000000 00020100 netboot-probe-sector-8/,
    );
    // The NIC through its BARs reads as an empty slot, and the probe's writes that would have
    // stopped its receiver and transmitter went nowhere: the LBA read after them came over AoE.
    expect(m.consoles.com1.text).toMatch(/probe: nic status ffffffff/);
    expect(m.consoles.com1.text).toMatch(/probe: nic ioaddr ffffffff/);
    const rctl = (BigInt(`0x${memory.match[1]}`) + 0x100n).toString(16);
    expect(hv).toMatch(new RegExp(`fence: guest write to the hidden device at address ${rctl} dropped \\(1 so far\\)`));
    expect(hv).toMatch(/fence: guest write to the hidden device at port [0-9a-f]+ dropped \(4 so far\)/);
    // Its expansion ROM: SeaBIOS left the decoder off, and its address is fenced all the same.
    expect(hv).toMatch(/PCI [0-9a-f:.]+ expansion ROM: memory [0-9a-f]+-[0-9a-f]+ fenced \(decoder was off\)/);
    // READ DMA into the NIC's registers: refused with the bus master's error bit (02), the
    // device's interrupt (04) and the bus master no longer active.
    expect(m.consoles.com1.text).toMatch(/probe: dma to nic bus master status 06/);
    // READ DMA into the hypervisor's own RAM: refused the same way.
    expect(m.consoles.com1.text).toMatch(/probe: dma to hypervisor bus master status 06/);
    expect(hv).toMatch(new RegExp(`IDE bus master: DMA to ${memory.match[1]}-[0-9a-f]+ outside guest RAM refused`));
    // The guest zeroed its TSC; the hypervisor's clock (its log times) did not move back or wrap.
    // (QEMU TCG never lets a guest's TSC write reach the host's, so only the first check fails
    // without the intercept here; on hardware both would.)
    // Read right after the write: well under 2^30 cycles (about 0.3 s at 3 GHz), where the
    // CPU's own TSC has counted since power-on.
    const tsc = BigInt(`0x${/probe: tsc after writing 0 ([0-9a-f]{16})/.exec(m.consoles.com1.text)?.[1]}`);
    expect(tsc).toBeLessThan(1n << 30n);
    const logSeconds = [...hv.matchAll(/^\[ *(\d+)\.(\d{6})\] vmm: /gm)].map((t) => Number(`${t[1]}.${t[2]}`));
    expect(logSeconds.length).toBeGreaterThan(20);
    logSeconds.forEach((t, i) => expect(t).toBeGreaterThanOrEqual(logSeconds[i - 1] ?? 0));
    expect(logSeconds.at(-1)).toBeLessThan(600);
    expect(hv).not.toMatch(/PANIC/);
  }, 240_000);

  test("on a PCIe chipset (q35), the hidden NIC's configuration space in the ECAM window reads as absent and ignores writes", async () => {
    disk = privateCopy(probeGuestImage, 'probe-image');
    const m = await bootOverAoe('aoe-probe-q35', disk.path, { chipset: 'q35' });
    // SeaBIOS puts q35's ECAM window at B0000000h; the hypervisor finds it in the ACPI MCFG.
    const { ecam } = await answerProbe(m, 0xb0000000);
    // Read as an empty slot. Without the fence it reads 100e8086 (the e1000), and the probe's
    // write of 0 to its command register stops the NIC, so the LBA read below never completes.
    const id = await m.consoles.com1.waitFor(/probe: nic config id ([0-9a-f]{8})/, 60_000);
    expect(id.match[1]).toBe('ffffffff');
    await m.consoles.com1.waitFor(/probe: done\r?\n/, 180_000);
    const hv = m.consoles.com2.text;
    expect(hv).toMatch(new RegExp(`configuration space at ${ecam.toString(16)} \\(ECAM\\) fenced`));
    expect(m.consoles.com1.text).toMatch(/probe: nic status ffffffff/);
    expect(m.consoles.com1.text).toMatch(/probe: lba8 netboot-probe-sector-8/);
    expect(hv).not.toMatch(/PANIC/);
  }, 240_000);

  test(
    'stock Debian boots to login from the AoE target; it sees a local DMA disk and no NIC; 64 MiB written reach the server and read back after a reboot with the paper register split',
    async () => {
      disk = privateCopy((await ensureDebianImage()).path, 'debian-image');
      const m = await bootOverAoe('aoe-debian', disk.path);
      await m.consoles.com1.waitForPrompt(/login: /, 15 * 60_000);
      const shell = (command: string) => runInShell(m.consoles.com1, command, { timeoutMs: 5 * 60_000 });

      expect((await shell('findmnt -no SOURCE /')).output.trim()).toBe('/dev/sda1');
      expect((await shell('cat /sys/class/ata_device/dev1.0/xfer_mode')).output).toMatch(/XFER_(MW_DMA|UDMA)_\d/);
      expect((await shell('ls /sys/class/net')).output.split(/\s+/).filter(Boolean)).toEqual(['lo']);

      // 64 MiB of random data written by the guest, flushed, and checked on the server's image.
      const written = await shell(
        'dd if=/dev/urandom of=/root/aoe-check bs=1M count=64 oflag=direct status=none && sync && sha256sum /root/aoe-check',
      );
      const guestSum = /^([0-9a-f]{64})/m.exec(written.output)?.[1];
      expect(guestSum, written.output).toBeDefined();
      // Interrupts handed to the guest while its disk is busy arrive only where its IF allows:
      // 40 s of system calls beside direct reads of the AoE disk. Injected with EVENTINJ, QEMU TCG
      // delivered one a second time, in Linux's SYSCALL entry with IF clear, and the guest
      // double-faulted here in 3 of 4 boots (paper-notes.md). A kernel panic ends the wait.
      const stress = await shell(
        '(end=$((SECONDS + 40)); k=0; while [ $SECONDS -lt $end ]; do k=$((k + 1)); ' +
          'dd if=/dev/sda of=/dev/null bs=1M count=64 skip=$((k * 97 % 3000)) iflag=direct status=none; done) & ' +
          'python3 -c \'import os, time\nend = time.time() + 40\nn = 0\nwhile time.time() < end: os.getppid(); n += 1\nprint("syscalls", n)\'; wait',
      );
      expect(stress.output).toMatch(/syscalls \d+/);
      m.consoles.com1.send('poweroff\n');
      await m.exited;
      await stopProcess(vblade?.process);
      vblade = undefined;
      const serverSum = await withMountedRoot(disk.path, async (root) =>
        createHash('sha256')
          .update(readFileSync(path.join(root, 'root/aoe-check')))
          .digest('hex'),
      );
      expect(serverSum).toBe(guestSum);
      const hv = m.consoles.com2.text;
      expect(hv).toMatch(/primary channel captured/);
      expect(hv).not.toMatch(/PANIC/);
      // Asynchronous completion (the default): the guest ran and idled while commands were in
      // flight, so the hypervisor took its interrupts and HLTs.
      const asyncCounts = parseExitCountLines(hv).at(-1)?.byReason;
      expect(asyncCounts?.['hlt'], hv).toBeGreaterThan(0);
      expect(asyncCounts?.['intr'], hv).toBeGreaterThan(0);

      // A second network boot reads the file back from the server, past the guest's page cache,
      // this time with the paper's register split (Sector Count and LBA go to the placeholder disk
      // behind the channel, and the hypervisor reads them from it at each command) and blocking
      // completion (each command ends inside the exit that issued it).
      const again = await bootOverAoe('aoe-debian-reboot', disk.path, {
        append: `aoe=${target.shelf}.${target.slot} ata_regs=split aoe_completion=blocking`,
      });
      await again.consoles.com1.waitForPrompt(/login: /, 15 * 60_000);
      expect(again.consoles.com2.text).toMatch(
        /IDE: ata_regs=split: sector count and LBA \(1f2-1f5\) stay with the device/,
      );
      const reread = await runInShell(
        again.consoles.com1,
        'echo 3 > /proc/sys/vm/drop_caches; sha256sum /root/aoe-check',
        { timeoutMs: 5 * 60_000 },
      );
      expect(reread.output).toContain(`${guestSum}  /root/aoe-check`);
      const blockingCounts = parseExitCountLines(again.consoles.com2.text);
      expect(blockingCounts.length).toBeGreaterThan(0);
      for (const line of blockingCounts) expect(line.byReason).not.toHaveProperty('hlt');
    },
    40 * 60_000,
  );
});
