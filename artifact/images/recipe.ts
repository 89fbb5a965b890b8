/**
 * stock: what the paper boots (a plain Debian install; nothing that helps network boot).
 * Planned, not built yet: 'aoe' (stock + aoetools + an ip= line) for the iPXE sanboot alternative.
 */
export type DebianVariant = 'stock';

export interface DebianRecipe {
  variant: DebianVariant;
  suite: 'bookworm';
  mirror: string;
  sizeBytes: number;
  /** Installed by debootstrap (default variant: required + important priorities). */
  bootstrapPackages: string[];
  /** Installed afterwards in the chroot, once /dev, /proc, /sys and the boot config exist. */
  chrootPackages: string[];
  /** Appended to Debian's default "quiet". */
  kernelCmdline: string;
  grubTimeoutSeconds: number;
}

export const defaultMirror = 'http://deb.debian.org/debian';

export function debianRecipe(variant: DebianVariant, mirror = defaultMirror): DebianRecipe {
  return {
    variant,
    suite: 'bookworm',
    mirror,
    sizeBytes: 4 * 2 ** 30,
    // fio: disk benchmark; python3: the benchmark runner; flac: the audio-encoding app test.
    bootstrapPackages: ['systemd-sysv', 'fio', 'python3', 'flac'],
    chrootPackages: ['linux-image-amd64', 'grub-pc'],
    kernelCmdline: 'console=tty0 console=ttyS0,115200n8',
    grubTimeoutSeconds: 2,
  };
}
