// The paper's system end to end: the client PC has only a placeholder disk; the hypervisor traps
// the primary IDE channel and serves it from the patched vblade over AoE, so the guest boots the
// server's image without knowing. First the real-mode probe guest (BIOS PIO path), then stock
// Debian (GRUB through the BIOS, Linux ata_piix with bus-master DMA and IRQ 14).
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { ensureDebianImage, withMountedRoot } from '../../artifact/images/index.js';
import { createNetns, runInShell, startMachine, type Machine, type Netns } from '../../artifact/testbed/index.js';
import { buildServer } from '../../server/lab.js';
import { startVblade, stopProcess } from './support/aoe-lab.js';
import { buildHypervisor, probeGuestImage, testLogDir, vmmImage } from './support/hypervisor.js';

const guestMac = '52:54:00:a0:e0:02';
let machine: Machine | undefined;
let netns: Netns | undefined;
let vblade: ChildProcess | undefined;

beforeAll(() => {
  buildHypervisor();
  buildServer();
}, 180_000);

afterEach(async () => {
  await machine?.kill();
  machine = undefined;
  await stopProcess(vblade);
  vblade = undefined;
  await netns?.destroy();
  netns = undefined;
});

async function bootOverAoe(name: string, image: string): Promise<Machine> {
  netns = await createNetns(`vmm-aoeboot-${process.pid}`);
  vblade = startVblade(netns, image, 1, 1, { writable: true });
  machine = await startMachine({
    name,
    logDir: testLogDir(name),
    kernel: vmmImage,
    append: 'aoe=1.1',
    // The BIOS enumerates drive 0x80 at POST: a placeholder of the remote disk's size.
    disks: [{ kind: 'placeholder', sizeBytes: statSync(image).size }],
    netns: netns.name,
    nics: [{ kind: 'tap', tap: netns.taps[0]!, mac: guestMac, model: 'e1000' }],
  });
  return machine;
}

describe('network boot through the hypervisor', () => {
  test('the real-mode probe boots from the AoE target through the BIOS', async () => {
    const image = path.join(testLogDir('probe-image'), 'probe.img');
    copyFileSync(probeGuestImage, image);
    const m = await bootOverAoe('aoe-probe', image);
    await m.consoles.com1.waitFor(/probe: done\r?\n/, 180_000);
    const hv = m.consoles.com2.text;
    expect(hv).toMatch(/IDE [0-9a-f:.]+ primary channel captured/);
    expect(hv).toMatch(/PCI [0-9a-f:.]+ hidden from the guest/);
    // The boot sector and sector 8 came from the server: the placeholder disk reads zeros.
    expect(m.consoles.com1.text).toMatch(/probe: started by the BIOS boot path, dl=80/);
    expect(m.consoles.com1.text).toMatch(/probe: lba8 netboot-probe-sector-8/);
  }, 240_000);

  test('stock Debian boots to login from the AoE target; it sees a local DMA disk and no NIC; writes reach the server', async () => {
    const info = await ensureDebianImage();
    const image = path.join(testLogDir('debian-image'), 'debian.img');
    copyFileSync(info.path, image);   // a private copy: the guest writes to it
    const m = await bootOverAoe('aoe-debian', image);
    await m.consoles.com1.waitFor(/login: /, 15 * 60_000);
    const shell = (command: string) => runInShell(m.consoles.com1, command, { timeoutMs: 5 * 60_000 });

    expect((await shell('findmnt -no SOURCE /')).output.trim()).toBe('/dev/sda1');
    expect((await shell('cat /sys/class/ata_device/dev1.0/xfer_mode')).output).toMatch(/XFER_(MW_DMA|UDMA)_\d/);
    expect((await shell('ls /sys/class/net')).output.split(/\s+/).filter(Boolean)).toEqual(['lo']);

    // 8 MiB of random data written by the guest, flushed, and checked on the server's image.
    const written = await shell('dd if=/dev/urandom of=/root/aoe-check bs=1M count=8 oflag=direct status=none && sync && sha256sum /root/aoe-check');
    const guestSum = /^([0-9a-f]{64})/m.exec(written.output)?.[1];
    expect(guestSum, written.output).toBeDefined();
    m.consoles.com1.send('poweroff\n');
    await m.exited;
    machine = undefined;
    await stopProcess(vblade);
    vblade = undefined;
    const serverSum = await withMountedRoot(image, async (root) =>
      createHash('sha256').update(readFileSync(path.join(root, 'root/aoe-check'))).digest('hex'));
    expect(serverSum).toBe(guestSum);

    const hv = m.consoles.com2.text;
    expect(hv).toMatch(/primary channel captured/);
    expect(hv).not.toMatch(/PANIC/);
  }, 25 * 60_000);
});
