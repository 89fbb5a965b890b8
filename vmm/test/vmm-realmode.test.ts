// SPDX-License-Identifier: MIT
// The hypervisor under QEMU TCG with a small real-mode guest (vmm/test/guests/realmode-probe.S):
// BIOS boot path, INT 13h, memory hiding in E820/E801/INT 12h, VMMCALL; and its refusals.
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { startMachine, type Machine, type MachineSpec } from '../../artifact/testbed/index.js';
import {
  buildHypervisor,
  hypervisorRange,
  isHidden,
  probeGuestImage,
  testLogDir,
  vmmImage,
  type MemoryRange,
} from './support/hypervisor.js';

const bootTimeoutMs = 120_000;
let machine: Machine | undefined;

function spec(name: string, overrides: Partial<MachineSpec> = {}): MachineSpec {
  return {
    name,
    logDir: testLogDir(name),
    kernel: vmmImage,
    disks: [{ kind: 'image', path: probeGuestImage, format: 'raw', mode: 'snapshot' }],
    noReboot: true,
    ...overrides,
  };
}

async function run(s: MachineSpec): Promise<Machine> {
  machine = await startMachine(s);
  return machine;
}

beforeAll(() => buildHypervisor(), 120_000);
afterEach(async () => {
  await machine?.kill();
  machine = undefined;
});

describe('hypervisor with a real-mode probe guest', () => {
  test(
    'boots the disk through the BIOS, hides its RAM, answers VMMCALL, and answers a reserved EFER bit with #GP',
    async () => {
      const m = await run(spec('probe'));
      await m.consoles.com1.waitFor(/probe: done\r?\n/, bootTimeoutMs);
      const guest = m.consoles.com1.text;
      const hv = m.consoles.com2.text;

      expect(hv).toMatch(/vmm: starting the guest in real mode/);
      expect(guest).toMatch(/started by the BIOS boot path, dl=80/);
      expect(guest).toMatch(/probe: lba8 netboot-probe-sector-8/);
      expect(guest).toMatch(/probe: vmmcall 564d4f4b/);
      // A reserved EFER bit is answered with #GP, as a CPU answers it (it used to stop the hypervisor).
      expect(guest).toMatch(/probe: efer reserved bit write #GP 01/);
      expect(guest).toMatch(/probe: inl 1ee [0-9a-f]{8}/);
      expect(hv).not.toMatch(/PANIC/);

      const map: MemoryRange[] = [...guest.matchAll(/probe: e820 ([0-9a-f]{16}) ([0-9a-f]{16}) ([0-9a-f]{8})/g)].map(
        (m) => {
          const start = BigInt(`0x${m[1]}`);
          return { start, end: start + BigInt(`0x${m[2]}`) - 1n, usable: Number.parseInt(m[3]!, 16) === 1 };
        },
      );
      const count = Number.parseInt(/probe: e820 entries ([0-9a-f]+)/.exec(guest)![1]!, 16);
      expect(map.length).toBe(count);
      expect(map.length).toBeGreaterThan(3);
      const hidden = hypervisorRange(hv);
      expect(hidden.end - hidden.start + 1n).toBe(32n << 20n);
      expect(isHidden(map, hidden)).toBe(true);
      // Sorted and non-overlapping, as a BIOS map must be.
      for (let i = 1; i < map.length; i++) expect(map[i]!.start).toBeGreaterThan(map[i - 1]!.end);

      // INT 12h shrank by the stub's KiB, and the stub's memory is reserved in E820 too.
      const baseKib = Number.parseInt(/probe: int12 ([0-9a-f]+)/.exec(guest)![1]!, 16);
      const stub = /BIOS hooks at ([0-9a-f]+) \(base memory (\d+) -> (\d+) KiB\)/.exec(hv)!;
      expect(baseKib).toBe(Number(stub[3]));
      expect(Number(stub[3])).toBeLessThan(Number(stub[2]));
      const stubStart = BigInt(`0x${stub[1]}`);
      expect(isHidden(map, { start: stubStart, end: BigInt(baseKib + 1) * 1024n - 1n })).toBe(true);

      // E801: 64 KiB blocks above 16 MiB end where the hypervisor starts (it sits below 4 GiB).
      const e801 = /probe: e801 ([0-9a-f]{4}) ([0-9a-f]{4})/.exec(guest)!;
      expect(Number.parseInt(e801[1]!, 16)).toBe(0x3c00);
      expect(BigInt(Number.parseInt(e801[2]!, 16)) * 65536n + (16n << 20n)).toBe(hidden.start);
    },
    bootTimeoutMs + 30_000,
  );

  test(
    'refuses a CPU without SVM, with the documented message',
    async () => {
      const m = await run(spec('nosvm', { cpu: 'qemu64,-svm' }));
      const found = await m.consoles.com2.waitFor(/refusing to start: ([^\r\n]*)\r?\n/, bootTimeoutMs);
      expect(found.match[1]).toMatch(/lacks AMD SVM .*-cpu qemu64,\+svm,\+npt/);
      expect(m.consoles.com1.text).not.toMatch(/probe:/);
    },
    bootTimeoutMs + 30_000,
  );

  test(
    'refuses a CPU without nested paging',
    async () => {
      const m = await run(spec('nonpt', { cpu: 'qemu64,+svm,-npt' }));
      const found = await m.consoles.com2.waitFor(/refusing to start: ([^\r\n]*)\r?\n/, bootTimeoutMs);
      expect(found.match[1]).toMatch(/no nested paging/);
    },
    bootTimeoutMs + 30_000,
  );

  test(
    'refuses more than one CPU',
    async () => {
      const m = await run(spec('smp2', { extraArgs: ['-smp', '2'] }));
      const found = await m.consoles.com2.waitFor(/refusing to start: ([^\r\n]*)\r?\n/, bootTimeoutMs);
      expect(found.match[1]).toMatch(/more than one CPU.*-smp 1/);
    },
    bootTimeoutMs + 30_000,
  );

  test(
    'rejects an unknown command-line option with the accepted keys',
    async () => {
      const m = await run(spec('badopt', { append: 'colsole=com1' }));
      const found = await m.consoles.com2.waitFor(/refusing to start: ([^\r\n]*)\r?\n/, bootTimeoutMs);
      expect(found.match[1]).toBe(
        "unknown option 'colsole' (known keys: console, vmm_mem, boot_drive, verbose, aoe, mtu, aoe_wait, aoe_deadline, hypercalls, ata_regs, aoe_completion, aoe_share)",
      );
    },
    bootTimeoutMs + 30_000,
  );

  test(
    'rejects a bad option value',
    async () => {
      const m = await run(spec('badmem', { append: 'vmm_mem=7' }));
      const found = await m.consoles.com2.waitFor(/refusing to start: ([^\r\n]*)\r?\n/, bootTimeoutMs);
      expect(found.match[1]).toMatch(/bad value for 'vmm_mem'/);
    },
    bootTimeoutMs + 30_000,
  );

  test(
    'honours vmm_mem= and reports a disk without a boot signature',
    async () => {
      const m = await run(
        spec('nosig', { append: 'vmm_mem=64', disks: [{ kind: 'placeholder', sizeBytes: 64 << 20 }] }),
      );
      await m.consoles.com2.waitFor(/boot failed: ([^\r\n]*)\r?\n/, bootTimeoutMs);
      const hidden = hypervisorRange(m.consoles.com2.text);
      expect(hidden.end - hidden.start + 1n).toBe(64n << 20n);
      expect(m.consoles.com2.text).toMatch(/no boot signature \(55AA\)/);
    },
    bootTimeoutMs + 30_000,
  );
});
