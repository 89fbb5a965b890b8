// SPDX-License-Identifier: MIT
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { nicLinkUpPath, nicLinkUpScript } from './aoe-root-initramfs.js';
import type { DebianRecipe } from './recipe.js';

/**
 * Files that turn a debootstrapped tree into a bootable, serial-console Debian (written from the
 * host before the kernel and GRUB are installed, so their postinst scripts pick them up).
 */
export async function writeRootfsConfig(root: string, recipe: DebianRecipe, rootUuid: string): Promise<void> {
  const files: Record<string, string> = {
    'etc/hostname': 'debian\n',
    'etc/hosts': '127.0.0.1\tlocalhost\n127.0.1.1\tdebian\n',
    'etc/fstab': `UUID=${rootUuid}\t/\text4\terrors=remount-ro\t0\t1\n`,
    // Root logs in on the serial console by itself: benchmarks and tests need no password.
    'etc/systemd/system/serial-getty@ttyS0.service.d/autologin.conf':
      '[Service]\nExecStart=\nExecStart=-/sbin/agetty --autologin root --keep-baud 115200,57600,38400,9600 - $TERM\n',
    // Emulated PCs on a busy host (or a slow network disk) can need more than systemd's default
    // 90 s for udev to announce /dev/ttyS0; past that the serial getty is dropped for good.
    'etc/systemd/system.conf.d/device-timeout.conf': '[Manager]\nDefaultDeviceTimeoutSec=600\n',
    // A visible menu with a short timeout: its appearance and its end are boot-time markers.
    'etc/default/grub': [
      'GRUB_DEFAULT=0',
      `GRUB_TIMEOUT=${recipe.grubTimeoutSeconds}`,
      'GRUB_TIMEOUT_STYLE=menu',
      'GRUB_DISTRIBUTOR=Debian',
      'GRUB_CMDLINE_LINUX_DEFAULT="quiet"',
      `GRUB_CMDLINE_LINUX="${recipe.kernelCmdline}"`,
      'GRUB_TERMINAL="console serial"',
      'GRUB_SERIAL_COMMAND="serial --speed=115200 --unit=0 --word=8 --parity=no --stop=1"',
      'GRUB_DISABLE_OS_PROBER=true',
      '',
    ].join('\n'),
    // MODULES=dep keeps the initrd small (~7 MB instead of ~37 MB with Debian's "most"): GRUB
    // reads it through the BIOS disk calls at ~1.6 MB/s under TCG, and over AoE with the
    // hypervisor. dep inspects the build host, so the target PC's modules are listed explicitly.
    'etc/initramfs-tools/conf.d/netboot-modules': 'MODULES=dep\n',
    'etc/initramfs-tools/modules': recipe.initramfsModules.map((module) => `${module}\n`).join(''),
    // No daemons may start inside the build chroot.
    'usr/sbin/policy-rc.d': '#!/bin/sh\nexit 101\n',
  };
  if (recipe.aoeRoot) files[nicLinkUpPath] = nicLinkUpScript;
  const executable = (relative: string) => relative.startsWith('usr/sbin/') || relative === nicLinkUpPath;
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(root, relative);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content, { mode: executable(relative) ? 0o755 : 0o644 });
  }
}
