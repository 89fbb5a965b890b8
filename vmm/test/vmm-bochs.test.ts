// SPDX-License-Identifier: MIT
// The hypervisor on Bochs' Intel CPU (issue 22): the testbed the VT-x backend will run on, as
// QEMU's TCG emulates no VMX. Until that backend exists the hypervisor refuses an Intel CPU, after
// reading its VMX capability MSRs and judging them as the backend would (src/vmx/vmx_probe.c):
// this checks that judgement (vmx_caps.c, the controls of vmcs_setup.c) against an emulated
// Haswell's real values, and the chain a VT-x test needs (GRUB's multiboot from a CD, Bochs' two
// serial ports as consoles).
import path from 'node:path';
import { afterEach, beforeAll, expect, test } from 'vitest';
import { startBochsMachine, type BochsMachine } from '../../artifact/testbed/bochs.js';
import { buildMultibootIso } from '../../artifact/testbed/multiboot-iso.js';
import { buildHypervisor, testLogDir, vmmImage } from './support/hypervisor.js';

let machine: BochsMachine | undefined;

beforeAll(() => buildHypervisor(), 120_000);
afterEach(async () => {
  await machine?.kill();
  machine = undefined;
});

test("a Bochs PC with an Intel Haswell starts the hypervisor from GRUB, which accepts the CPU's VT-x and refuses only for want of a backend", async () => {
  const logDir = testLogDir('bochs');
  const cdrom = await buildMultibootIso({ kernel: vmmImage, append: '', out: path.join(logDir, 'vmm.iso') });
  machine = await startBochsMachine({ name: 'intel-pc', logDir, cdrom });
  // the refusal ends every wait on the consoles at once (failWaitsOnLastWords), with its line
  const refusal = await machine.consoles.com2.waitFor(/refusing to start: .*/, 240_000).then(
    (found) => found.match[0],
    (error: Error) => error.message,
  );
  const log = machine.consoles.com2.text;
  expect(log).toMatch(/netboot hypervisor starting; command line ""/);
  expect(log).toMatch(/VT-x: feature control [0-9a-f]+ basic [0-9a-f]+ pin/);
  // 82: EPT (bit 1) and unrestricted guest (bit 7)
  expect(log).toMatch(/VT-x: the VMCS set-up is accepted \(\d+ fields, secondary controls 82\)/);
  expect(refusal).toMatch(/refusing to start: this is an Intel CPU with the VT-x .* that backend is not written yet/);
}, 300_000);
