// SPDX-License-Identifier: MIT
import { tunables } from '../core/tunables.js';
/** What a test or experiment asks for: one emulated PC (QEMU `-M pc` or `-M q35`, one CPU). */
export interface MachineSpec {
  /** Short name: used for the QEMU process name and the log file names. */
  name: string;
  /**
   * 'pc' (default): i440FX with the PIIX3's IDE, PCI only. 'q35': a PCIe chipset (ECAM window
   * described by ACPI MCFG) with the disks on a PIIX3 IDE controller added beside its AHCI, so
   * the hypervisor's primary channel is still there.
   */
  chipset?: Chipset;
  /** Every byte of every serial port is written there (raw and with host-side timestamps). */
  logDir: string;
  memoryMiB?: number;
  /** QEMU -cpu model. The default exposes SVM with nested paging, which our hypervisor needs. */
  cpu?: string;
  /**
   * 'auto' picks KVM only where it works for this PC (kvm.ts accelerationFor; never on the build
   * host: it has PVM), by what the PC runs (`cpuNeeds`). Default: TCG.
   */
  accel?: Accel | 'auto';
  /** What the PC's CPU must offer: see CpuNeeds. Default 'plain'. */
  cpuNeeds?: CpuNeeds;
  /** IDE disks in order: primary master, primary slave, secondary master, secondary slave. */
  disks?: DiskSpec[];
  /**
   * ISO image in an ATAPI CD-ROM drive (read-only): the secondary channel's master (ide1-cd0,
   * QEMU index 2), or its slave when three disks take the slots before it. Never on the primary
   * channel, which the hypervisor captures with `aoe=`.
   */
  cdrom?: string;
  /** USB mass-storage devices (QEMU usb-storage) on one xHCI controller (qemu-xhci), at most 4. */
  usbDisks?: UsbDisk[];
  /**
   * What the firmware boots. 'disk' (default): QEMU's default order, the first hard disk.
   * 'network': the first NIC's option ROM (QEMU ships iPXE) PXE-boots first (`-boot order=n`);
   * nothing may be given as `kernel`, and the first NIC must keep its option ROM.
   */
  bootFrom?: BootSource;
  /** Multiboot image loaded with -kernel (e.g. vmm/build/vmm.elf) and its command line. */
  kernel?: string;
  append?: string;
  /** -initrd: for a Linux kernel given as `kernel`; for a multiboot kernel, its modules. */
  initrd?: string;
  nics?: NicSpec[];
  /** Network namespace (see createNetns) QEMU runs in; required for tap NICs. */
  netns?: string;
  /** CPUs QEMU may run on (a taskset list, e.g. "2-3"): the lane of `reproduce --jobs N` it runs in. */
  cpuAffinity?: string;
  /** Files the guest can read under /sys/firmware/qemu_fw_cfg/by_name/<name>/raw. */
  fwCfgFiles?: FwCfgFile[];
  /**
   * Exit QEMU instead of rebooting: a triple fault or a guest reboot ends the run instead of
   * looping (useful when debugging a hypervisor). QEMU then also exits on reset(). Default false.
   */
  noReboot?: boolean;
  /** Scheduling niceness of the QEMU process (the build host is shared). Default 0. */
  niceness?: number;
  /** Appended verbatim to the QEMU command line. */
  extraArgs?: string[];
}

export type Accel = 'tcg' | 'kvm';

/**
 * What a PC runs, as its CPU must support it: an operating system ('plain'), our hypervisor ('svm':
 * AMD SVM with nested paging, the only backend it has), or another hypervisor such as the KVM +
 * NFS baseline's host ('virtualization': VT-x or SVM). Under KVM the last two need a host whose KVM
 * nests hypervisors.
 */
export type CpuNeeds = 'plain' | 'svm' | 'virtualization';

export type Chipset = 'pc' | 'q35';

export type BootSource = 'disk' | 'network';

export type DiskSpec = ImageDisk | PlaceholderDisk | ModelledDisk;

export interface ImageDisk {
  kind: 'image';
  path: string;
  format: 'raw' | 'qcow2';
  /**
   * snapshot: guest writes go to a throw-away temporary file, the image stays as it was.
   * (No read-only mode: QEMU's IDE hard disk refuses read-only block nodes.)
   */
  mode?: 'readWrite' | 'snapshot';
  /** QEMU host cache mode; 'writeback' is QEMU's default. */
  cache?: 'writeback' | 'none' | 'writethrough' | 'unsafe' | 'directsync';
}

/**
 * A disk of the given size that reads zeros and discards writes (QEMU null-co). It makes the BIOS
 * see drive 0x80 at POST, so a hypervisor loaded afterwards can boot from a remote disk in its place.
 */
export interface PlaceholderDisk {
  kind: 'placeholder';
  sizeBytes: number;
}

/**
 * A raw image served to QEMU over NBD by nbdkit through the hard disk timing model
 * (artifact/testbed/hdd-model): the guest's IDE disk then takes a 2011 drive's time for each
 * command, on the real data. The guest's writes are kept apart (nbdkit's cow filter, below the
 * model) and dropped at power-off, like snapshot mode: the image stays as it was.
 */
export interface ModelledDisk {
  kind: 'modelled';
  path: string;
  /** Every modelled time multiplied by this (1: the paper's drive). */
  scale: number;
  writeCache: boolean;
  /** Where the model's counters go when the machine powers off (JSON). */
  statsFile?: string;
  /** The writes reach the image file (a server's scratch copy); absent: they stay in the overlay. */
  keepWrites?: boolean;
}

/** A disk image behind a USB mass-storage device; the guest's writes reach the file. */
export interface UsbDisk {
  path: string;
  format: 'raw';
}

export interface NicSpec {
  /** tap: a tap device inside the network namespace QEMU runs in. user: QEMU's NAT (reaches the mirror). */
  kind: 'tap' | 'user';
  mac: string;
  /** Tap device name (kind 'tap'); the machine must then be started in a namespace holding it. */
  tap?: string;
  model?: NicModel;
  /**
   * The NIC's option ROM (QEMU `romfile=`): a file name QEMU finds in its firmware path (Debian:
   * /usr/share/qemu, /usr/lib/ipxe/qemu) or a path. Default: QEMU's own iPXE ROM for the model
   * (e1000: efi-e1000.rom from ipxe-qemu, BIOS and UEFI in one). '' removes the ROM (no PXE).
   */
  romfile?: string;
}

/** QEMU NIC models: 'e1000' is the 82540EM (8086:100e), 'e1000-82545em' is 8086:100f, 'e1000e' the 82574L (8086:10d3). */
export type NicModel = 'e1000' | 'e1000-82544gc' | 'e1000-82545em' | 'e1000e' | 'virtio-net-pci';

export interface FwCfgFile {
  /** Must start with "opt/" (QEMU's rule for user files). */
  name: string;
  path: string;
}

export const serialPorts = ['com1', 'com2'] as const;
/** com1: the guest's console (Linux ttyS0). com2: the hypervisor's console. */
export type SerialPort = (typeof serialPorts)[number];

export const machineDefaults = {
  /** One CPU per PC, as the hypervisor supports (and as -smp 1 in qemu-args.ts). */
  ...tunables.client,
  noReboot: false,
  niceness: 0,
} as const;
