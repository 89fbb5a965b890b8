// SPDX-License-Identifier: MIT
/**
 * stock: what the paper boots (a plain Debian install; nothing that helps network boot).
 * aoe-root: the image the iPXE sanboot alternative boots: stock + aoetools (whose initramfs
 * scripts load the aoe module and discover targets) + the NIC drivers in the initramfs + one
 * init-premount script that brings the NICs up (aoe-root-initramfs.ts says why). Debian's own
 * root wait then finds root=UUID=... on /dev/etherd/eX.Yp1.
 * kvm-host: the KVM + NFS baseline's client (paper 5.7): stock + QEMU (KVM) + the NFS client +
 * guest/kvm-host/launch.py, which runs the stock image from the server's export when told to.
 */
export const debianVariants = ['stock', 'aoe-root', 'kvm-host'] as const;
export type DebianVariant = (typeof debianVariants)[number];

/**
 * How the root file system is made. debootstrap (default, minutes): from the host into a
 * loop-mounted image. debian-installer: Debian's own installer inside a QEMU PC, answered by a
 * preseed file, as the paper made its images (much slower under TCG). Both get the same
 * configuration files afterwards (rootfs-config.ts).
 */
export const debianInstallers = ['debootstrap', 'debian-installer'] as const;
export type DebianInstaller = (typeof debianInstallers)[number];

export interface DebianRecipe {
  variant: DebianVariant;
  installer: DebianInstaller;
  suite: 'bookworm';
  mirror: string;
  sizeBytes: number;
  /** Installed by debootstrap (default variant: required + important priorities), or by the installer's pkgsel. */
  bootstrapPackages: string[];
  /** Installed afterwards in the chroot, once /dev, /proc, /sys and the boot config exist. */
  chrootPackages: string[];
  /** Appended to Debian's default "quiet". */
  kernelCmdline: string;
  grubTimeoutSeconds: number;
  /** Modules always put into the initramfs (MODULES=dep only sees the build chroot's hardware). */
  initramfsModules: string[];
  /** The initramfs brings every NIC up before aoetools' scripts run (aoe-root-initramfs.ts). */
  aoeRoot: boolean;
  /** guest/kvm-host/ (the baseline's launcher) is installed and enabled. */
  kvmHost: boolean;
}

export const defaultMirror = 'http://deb.debian.org/debian';

export function debianRecipe(
  variant: DebianVariant,
  { mirror = defaultMirror, installer = 'debootstrap' }: { mirror?: string; installer?: DebianInstaller } = {},
): DebianRecipe {
  const aoeRoot = variant === 'aoe-root';
  const kvmHost = variant === 'kvm-host';
  return {
    variant,
    installer,
    suite: 'bookworm',
    mirror,
    sizeBytes: 4 * 2 ** 30,
    // fio: disk benchmark; python3: the benchmark runner; flac: the audio-encoding app test;
    // w3m: the page-rendering app test (a headless text-mode browser, ~2 MB).
    bootstrapPackages: ['systemd-sysv', 'fio', 'python3', 'flac', 'w3m'],
    chrootPackages: [
      'linux-image-amd64',
      'grub-pc',
      ...(aoeRoot ? ['aoetools'] : []),
      ...(kvmHost ? ['qemu-system-x86', 'nfs-common'] : []),
    ],
    kernelCmdline: 'console=tty0 console=ttyS0,115200n8',
    grubTimeoutSeconds: 2,
    // The emulated PC's IDE disk path; aoe-root adds the NIC drivers its root is reached through
    // (e1000 in QEMU, e1000e on PCIe PRO/1000 hardware).
    initramfsModules: ['ata_piix', 'ata_generic', 'sd_mod', 'ext4', ...(aoeRoot ? ['e1000', 'e1000e'] : [])],
    aoeRoot,
    kvmHost,
  };
}

/** Parses a variant name given on a command line; the error lists the valid ones. */
export function parseDebianVariant(name: string): DebianVariant {
  const variant = debianVariants.find((candidate) => candidate === name);
  if (variant === undefined)
    throw new Error(`unknown image variant "${name}": use one of ${debianVariants.join(', ')}`);
  return variant;
}

/** Parses an installer name given on a command line; the error lists the valid ones. */
export function parseDebianInstaller(name: string): DebianInstaller {
  const installer = debianInstallers.find((candidate) => candidate === name);
  if (installer === undefined)
    throw new Error(`unknown installer "${name}": use one of ${debianInstallers.join(', ')}`);
  return installer;
}

/** Cache file prefix of an image: the installer is in the name so both kinds can sit side by side. */
export function imageName(recipe: DebianRecipe): string {
  return `debian12-${recipe.variant}${recipe.installer === 'debian-installer' ? '-d-i' : ''}`;
}
