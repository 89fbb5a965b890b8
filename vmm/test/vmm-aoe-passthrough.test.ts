// SPDX-License-Identifier: MIT
// Passthrough next to the capture: while stock Debian runs network-booted through the hypervisor
// (primary IDE channel served from the AoE target), the devices the hypervisor leaves alone keep
// working: an ATAPI CD-ROM on the secondary IDE channel and a USB stick (QEMU usb-storage on an
// xHCI controller). The guest reads known files from both, writes to the stick, and the host
// finds the guest's file in the stick's image afterwards.
import { createHash, randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { ensureDebianImage } from '../../artifact/images/index.js';
import { createNetns, runInShell, startMachine, type Machine, type Netns } from '../../artifact/testbed/index.js';
import { buildServer, spawnVblade, stopProcess, type RunningServer } from '../../server/lab.js';
import { buildHypervisor, testLogDir } from './support/hypervisor.js';
import { networkBootClient, privateCopy, type PrivateCopy } from './support/network-boot.js';
import { buildExt4Disk, buildIso, readExt4File } from './support/passthrough-media.js';

const guestMac = '52:54:00:a0:e0:05';
let machine: Machine | undefined;
let netns: Netns | undefined;
let vblade: RunningServer | undefined;
let scratchDir: string | undefined;
let disk: PrivateCopy | undefined;
const target = { shelf: 1, slot: 1 };

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

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
  // The media and the image copy go; the logs (their own directory) stay.
  if (scratchDir !== undefined) rmSync(scratchDir, { recursive: true, force: true });
  scratchDir = undefined;
  disk?.dispose();
  disk = undefined;
});

describe('passthrough while the primary channel is captured', () => {
  test(
    'a CD-ROM on the secondary channel is readable and a USB stick is read and written by network-booted Debian',
    async () => {
      const info = await ensureDebianImage();
      scratchDir = testLogDir('passthrough-media');

      // The server's disk: a private copy, since the guest writes to it.
      disk = privateCopy(info.path, 'passthrough-image');
      const image = disk.path;
      // The CD: an ISO 9660 image holding random data. The stick: ext4 holding random data.
      const cdData = randomBytes(384 * 1024);
      const iso = path.join(scratchDir, 'passthrough.iso');
      buildIso(iso, 'PASSCD', { 'cd-data.bin': cdData });
      const stickData = randomBytes(256 * 1024);
      const stick = path.join(scratchDir, 'usb-stick.img');
      buildExt4Disk(stick, 32, 'PASSUSB', { 'stick-data.bin': stickData });
      const marker = `written by the guest through USB ${randomBytes(8).toString('hex')}`;

      netns = await createNetns(`vmm-pass-${process.pid}`);
      vblade = spawnVblade({ netns: netns.name, ifname: netns.taps[0]!, image, ...target });
      machine = await startMachine(
        networkBootClient(
          'aoe-passthrough',
          { image, ...target },
          { netns: netns.name, tap: netns.taps[0]!, mac: guestMac },
          {
            cdrom: iso,
            usbDisks: [{ path: stick, format: 'raw' }],
          },
        ),
      );
      const m = machine;
      await m.consoles.com1.waitForPrompt(/login: /, 15 * 60_000);
      const shell = async (command: string) => {
        const result = await runInShell(m.consoles.com1, command, { timeoutMs: 5 * 60_000 });
        expect(result.exitCode, `${command}\n${result.output}`).toBe(0);
        return result.output;
      };

      // Still the network disk at the root, on the first ATA port (primary channel).
      expect((await shell('findmnt -no SOURCE /')).trim()).toBe('/dev/sda1');
      expect(await shell('readlink -f /sys/block/sda')).toMatch(/\/ata1\//);

      // The CD-ROM: ATAPI on the second ATA port (secondary channel), read through ata_piix.
      const cd = await shell(
        'for i in $(seq 120); do [ -b /dev/sr0 ] && break; sleep 1; done; readlink -f /sys/block/sr0; ' +
          'mkdir -p /mnt/cd && mount -t iso9660 -o ro /dev/sr0 /mnt/cd && sha256sum /mnt/cd/cd-data.bin && umount /mnt/cd',
      );
      expect(cd).toMatch(/\/ata2\/.*\/block\/sr0/);
      expect(cd).toContain(`${sha256(cdData)}  /mnt/cd/cd-data.bin`);

      // The USB stick: found by its transport, read, written, flushed and unmounted.
      const found = await shell(
        'udevadm settle; for i in $(seq 120); do d=$(lsblk -dnpo NAME,TRAN | awk \'$2=="usb"{print $1}\'); [ -n "$d" ] && break; sleep 1; done; ' +
          'echo "@@USB=$d"; ls /dev/disk/by-id/ | grep "^usb-"; readlink -f /sys/block/$(basename "$d")',
      );
      const usbDevice = /@@USB=(\/dev\/sd[a-z]+)\n/.exec(found)?.[1];
      expect(usbDevice, found).toBeDefined();
      expect(usbDevice).not.toBe('/dev/sda');
      expect(found).toMatch(/^usb-QEMU/m);
      expect(found).toMatch(/\/usb\d+\//);
      const used = await shell(
        `mkdir -p /mnt/usb && mount ${usbDevice} /mnt/usb && sha256sum /mnt/usb/stick-data.bin && ` +
          `printf '%s\\n' '${marker}' > /mnt/usb/from-guest.txt && ` +
          'dd if=/dev/urandom of=/mnt/usb/from-guest.bin bs=64k count=16 status=none && sha256sum /mnt/usb/from-guest.bin && ' +
          'sync && umount /mnt/usb',
      );
      expect(used).toContain(`${sha256(stickData)}  /mnt/usb/stick-data.bin`);
      const guestBinSum = /^([0-9a-f]{64}) {2}\/mnt\/usb\/from-guest\.bin$/m.exec(used)?.[1];
      expect(guestBinSum, used).toBeDefined();

      // The guest sees the xHCI controller (not hidden) and no NIC (hidden: the hypervisor's).
      expect(await shell('ls /sys/bus/pci/drivers/xhci_hcd')).toMatch(/0000:00:[0-9a-f]{2}\.\d/);
      expect((await shell('ls /sys/class/net')).split(/\s+/).filter(Boolean)).toEqual(['lo']);

      m.consoles.com1.send('poweroff\n');
      await m.exited;
      machine = undefined;
      await stopProcess(vblade?.process);
      vblade = undefined;

      // The guest's writes are in the stick's image.
      expect(readExt4File(stick, 'from-guest.txt').toString()).toBe(`${marker}\n`);
      expect(sha256(readExt4File(stick, 'from-guest.bin'))).toBe(guestBinSum);
      expect(readExt4File(stick, 'stick-data.bin').equals(stickData)).toBe(true);

      // The hypervisor captured the primary channel only, hid only its NIC, and never stopped.
      const hv = m.consoles.com2.text;
      const captured = [...hv.matchAll(/IDE [0-9a-f:.]+ (\w+) channel captured \(ports ([^,]+), ([^,]+), bus master/g)];
      expect(captured.map((c) => [c[1], c[2], c[3]])).toEqual([['primary', '1f0-1f7', '3f6']]);
      expect([...hv.matchAll(/PCI [0-9a-f:.]+ hidden from the guest/g)]).toHaveLength(1);
      expect(hv).not.toMatch(/PANIC|which nothing claimed/);
    },
    25 * 60_000,
  );
});
