// SPDX-License-Identifier: MIT
import path from 'node:path';
import { machineDefaults, type Accel, type DiskSpec, type MachineSpec, type NicSpec, type UsbDisk } from './spec.js';

export const qemuBinary = 'qemu-system-x86_64';

/** Host-side sockets of one machine; kept in a short directory (unix socket paths max 107 bytes). */
export function socketPaths(socketDir: string) {
  return {
    qmp: path.join(socketDir, 'qmp.sock'),
    com1: path.join(socketDir, 'com1.sock'),
    com2: path.join(socketDir, 'com2.sock'),
  };
}

/** The NBD socket the modelled disk at IDE position `index` is served on (artifact/testbed/modelled-disk.ts). */
export const modelledDiskSocket = (socketDir: string, index: number) => path.join(socketDir, `disk${index}.nbd.sock`);

/** The exact QEMU argv (without the binary) for a spec. Pure: same input, same output. */
export function buildQemuArgs(spec: MachineSpec, runtime: { socketDir: string; accel: Accel }): string[] {
  validateSpec(spec);
  const sockets = socketPaths(runtime.socketDir);
  const args = [
    '-name',
    `${spec.name},process=qemu-${spec.name}`,
    '-M',
    spec.chipset ?? 'pc',
    '-accel',
    runtime.accel,
    '-cpu',
    spec.cpu ?? machineDefaults.cpu,
    '-smp',
    String(machineDefaults.cpus),
    '-m',
    String(spec.memoryMiB ?? machineDefaults.memoryMiB),
    // No implicit devices: every disk, NIC and serial port is listed below, so the argv says it all.
    '-nodefaults',
    '-vga',
    'std',
    '-display',
    'none',
    // QMP first: QEMU creates sockets in argv order and then blocks on the serial ones (wait=on)
    // until the host connects, so no console byte is lost and QMP is already reachable.
    '-chardev',
    `socket,id=qmp,path=${sockets.qmp},server=on,wait=off`,
    '-mon',
    'chardev=qmp,mode=control',
    '-chardev',
    `socket,id=com1,path=${sockets.com1},server=on,wait=on`,
    '-serial',
    'chardev:com1',
    '-chardev',
    `socket,id=com2,path=${sockets.com2},server=on,wait=on`,
    '-serial',
    'chardev:com2',
  ];
  if (spec.chipset === 'q35') args.push('-device', `piix3-ide,id=${q35IdeController}`);
  (spec.disks ?? []).forEach((disk, index) =>
    args.push(...ideArgs(spec, driveOption(disk, modelledDiskSocket(runtime.socketDir, index)), index, 'disk')),
  );
  if (spec.cdrom !== undefined) {
    const medium = { source: `file=${escapeOption(spec.cdrom)},format=raw`, flags: ['readonly=on'] };
    args.push(...ideArgs(spec, medium, cdromIndex(spec), 'cdrom'));
  }
  args.push(...usbArgs(spec.usbDisks ?? []));
  if (spec.kernel !== undefined) {
    args.push('-kernel', spec.kernel);
    if (spec.append !== undefined) args.push('-append', spec.append);
    if (spec.initrd !== undefined) args.push('-initrd', spec.initrd);
  }
  (spec.nics ?? []).forEach((nic, index) => args.push(...nicArgs(nic, index)));
  // SeaBIOS then runs the first NIC's option ROM (iPXE) before any disk.
  if (spec.bootFrom === 'network') args.push('-boot', 'order=n');
  for (const file of spec.fwCfgFiles ?? []) args.push('-fw_cfg', `name=${file.name},file=${escapeOption(file.path)}`);
  if (spec.noReboot ?? machineDefaults.noReboot) args.push('-no-reboot');
  args.push(...(spec.extraArgs ?? []));
  return args;
}

/** q35's own disk controller is AHCI: the IDE disks go on a PIIX3 IDE function added to it. */
const q35IdeController = 'piix-ide';

/**
 * One IDE device at `index` (0-3: primary master, primary slave, secondary master, secondary
 * slave): on pc the chipset's own channels (-drive if=ide), on q35 the added PIIX3's.
 */
function ideArgs(spec: MachineSpec, drive: DriveOptions, index: number, media: 'disk' | 'cdrom'): string[] {
  if (spec.chipset !== 'q35')
    return ['-drive', [drive.source, 'if=ide', `index=${index}`, `media=${media}`, ...drive.flags].join(',')];
  const id = `ide${index}`;
  const device = media === 'disk' ? 'ide-hd' : 'ide-cd';
  const bus = `${q35IdeController}.${index >> 1}`;
  return [
    '-drive',
    [drive.source, ...drive.flags, 'if=none', `id=${id}`].join(','),
    '-device',
    `${device},drive=${id},bus=${bus},unit=${index & 1}`,
  ];
}

/** A -drive's block backend (file or driver) and its flags; where it attaches is ideArgs' business. */
interface DriveOptions {
  source: string;
  flags: string[];
}

function driveOption(disk: DiskSpec, nbdSocket: string): DriveOptions {
  if (disk.kind === 'placeholder') return { source: `driver=null-co,size=${disk.sizeBytes},read-zeroes=on`, flags: [] };
  if (disk.kind === 'modelled')
    return { source: `file=${escapeOption(`nbd+unix:///?socket=${nbdSocket}`)},format=raw`, flags: [] };
  const flags: string[] = [];
  if (disk.cache !== undefined) flags.push(`cache=${disk.cache}`);
  if ((disk.mode ?? 'readWrite') === 'snapshot') flags.push('snapshot=on');
  return { source: `file=${escapeOption(disk.path)},format=${disk.format}`, flags };
}

/**
 * The CD-ROM goes on the secondary channel: its master (index 2) unless a third disk holds that
 * slot, then its slave (index 3). The primary channel (0, 1) is the disk a hypervisor captures.
 */
function cdromIndex(spec: MachineSpec): number {
  const disks = spec.disks?.length ?? 0;
  return disks <= 2 ? 2 : disks;
}

/** One xHCI controller (USB 2 and 3 ports, 4 each) with a usb-storage device per disk. */
const usbBus = 'usb';
const usbPortsPerController = 4;

function usbArgs(disks: UsbDisk[]): string[] {
  if (disks.length === 0) return [];
  const args = ['-device', `qemu-xhci,id=${usbBus}`];
  disks.forEach((disk, index) => {
    const id = `usbdisk${index}`;
    args.push(
      '-drive',
      `file=${escapeOption(disk.path)},format=${disk.format},if=none,id=${id}`,
      '-device',
      `usb-storage,bus=${usbBus}.0,drive=${id}`,
    );
  });
  return args;
}

function nicArgs(nic: NicSpec, index: number): string[] {
  const id = `net${index}`;
  const backend = nic.kind === 'tap' ? `tap,id=${id},ifname=${nic.tap},script=no,downscript=no` : `user,id=${id}`;
  const device = [`${nic.model ?? 'e1000'}`, `netdev=${id}`, `mac=${nic.mac}`];
  if (nic.romfile !== undefined) device.push(`romfile=${escapeOption(nic.romfile)}`);
  return ['-netdev', backend, '-device', device.join(',')];
}

/** QEMU option values use ',' as separator; a literal comma is written twice. */
function escapeOption(value: string): string {
  return value.replaceAll(',', ',,');
}

function validateSpec(spec: MachineSpec): void {
  const problems: string[] = [];
  if (!/^[A-Za-z0-9_.-]+$/.test(spec.name))
    problems.push(`name "${spec.name}" must use only letters, digits, '_', '.', '-'`);
  const ideSlots = (spec.disks?.length ?? 0) + (spec.cdrom === undefined ? 0 : 1);
  if (ideSlots > 4) problems.push(`${ideSlots} IDE devices requested; a PC has 4 IDE slots`);
  const usbDisks = spec.usbDisks?.length ?? 0;
  if (usbDisks > usbPortsPerController)
    problems.push(`${usbDisks} USB disks requested; the xHCI controller has ${usbPortsPerController} USB 2 ports`);
  for (const disk of spec.usbDisks ?? []) if (disk.path === '') problems.push('a USB disk needs the path of its image');
  if (spec.append !== undefined && spec.kernel === undefined) problems.push('append given without kernel');
  if (spec.initrd !== undefined && spec.kernel === undefined) problems.push('initrd given without kernel');
  for (const nic of spec.nics ?? []) {
    if (!/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i.test(nic.mac))
      problems.push(`NIC MAC "${nic.mac}" is not aa:bb:cc:dd:ee:ff`);
    if (nic.kind === 'tap' && !nic.tap) problems.push('a tap NIC needs its tap device name (spec.nics[].tap)');
  }
  if (spec.bootFrom === 'network') {
    const first = spec.nics?.[0];
    if (first === undefined) problems.push("bootFrom 'network' needs a NIC (spec.nics)");
    else if (first.romfile === '')
      problems.push("bootFrom 'network' needs the first NIC's option ROM (its romfile is '')");
    if (spec.kernel !== undefined)
      problems.push("bootFrom 'network' and kernel exclude each other (-kernel replaces the firmware's boot)");
  }
  for (const file of spec.fwCfgFiles ?? []) {
    if (!file.name.startsWith('opt/')) problems.push(`fw_cfg name "${file.name}" must start with "opt/"`);
  }
  for (const disk of spec.disks ?? []) {
    if (disk.kind === 'placeholder' && !(Number.isInteger(disk.sizeBytes) && disk.sizeBytes > 0)) {
      problems.push(`placeholder disk size ${disk.sizeBytes} must be a positive whole number of bytes`);
    }
  }
  if (problems.length > 0) throw new Error(`Invalid machine spec "${spec.name}":\n  - ${problems.join('\n  - ')}`);
}
