// SPDX-License-Identifier: MIT
import { describe, expect, test } from 'vitest';
import { buildQemuArgs } from '../testbed/index.js';

const runtime = { socketDir: '/tmp/tb-x', accel: 'tcg' as const };
const common = ['-M', 'pc', '-accel', 'tcg', '-cpu', 'qemu64,+svm,+npt', '-smp', '1'];
const consoles = [
  '-nodefaults',
  '-vga',
  'std',
  '-display',
  'none',
  '-chardev',
  'socket,id=qmp,path=/tmp/tb-x/qmp.sock,server=on,wait=off',
  '-mon',
  'chardev=qmp,mode=control',
  '-chardev',
  'socket,id=com1,path=/tmp/tb-x/com1.sock,server=on,wait=on',
  '-serial',
  'chardev:com1',
  '-chardev',
  'socket,id=com2,path=/tmp/tb-x/com2.sock,server=on,wait=on',
  '-serial',
  'chardev:com2',
];

describe('buildQemuArgs', () => {
  test('local disk boot: defaults and a snapshot IDE disk', () => {
    expect(
      buildQemuArgs(
        {
          name: 'local',
          logDir: '/l',
          disks: [{ kind: 'image', path: '/i/debian.img', format: 'raw', mode: 'snapshot' }],
        },
        runtime,
      ),
    ).toEqual([
      '-name',
      'local,process=qemu-local',
      ...common,
      '-m',
      '1024',
      ...consoles,
      '-drive',
      'file=/i/debian.img,format=raw,if=ide,index=0,media=disk,snapshot=on',
    ]);
  });

  test('hypervisor boot: multiboot kernel, placeholder drive 0x80, tap NIC, fw_cfg job, no reboot', () => {
    expect(
      buildQemuArgs(
        {
          name: 'vmm',
          logDir: '/l',
          memoryMiB: 2048,
          kernel: 'vmm/build/vmm.elf',
          append: 'aoe=e0.1',
          disks: [{ kind: 'placeholder', sizeBytes: 4 * 2 ** 30 }],
          cdrom: '/i/a,b.iso',
          netns: 'ns1',
          nics: [{ kind: 'tap', tap: 'tap0', mac: '52:54:00:00:00:01' }],
          fwCfgFiles: [{ name: 'opt/netboot-bench/job.json', path: '/r/job.json' }],
          noReboot: true,
          extraArgs: ['-d', 'guest_errors'],
        },
        runtime,
      ),
    ).toEqual([
      '-name',
      'vmm,process=qemu-vmm',
      ...common,
      '-m',
      '2048',
      ...consoles,
      '-drive',
      'driver=null-co,size=4294967296,read-zeroes=on,if=ide,index=0,media=disk',
      '-drive',
      'file=/i/a,,b.iso,format=raw,if=ide,index=2,media=cdrom,readonly=on',
      '-kernel',
      'vmm/build/vmm.elf',
      '-append',
      'aoe=e0.1',
      '-netdev',
      'tap,id=net0,ifname=tap0,script=no,downscript=no',
      '-device',
      'e1000,netdev=net0,mac=52:54:00:00:00:01',
      '-fw_cfg',
      'name=opt/netboot-bench/job.json,file=/r/job.json',
      '-no-reboot',
      '-d',
      'guest_errors',
    ]);
  });

  test('q35: a PCIe chipset whose IDE devices sit on an added PIIX3 IDE function, by channel and unit', () => {
    const args = buildQemuArgs(
      {
        name: 'probe-q35',
        logDir: '/l',
        chipset: 'q35',
        disks: [{ kind: 'placeholder', sizeBytes: 1 << 20 }],
        cdrom: '/i/c.iso',
      },
      runtime,
    );
    expect(args.slice(args.indexOf('-M'), args.indexOf('-M') + 2)).toEqual(['-M', 'q35']);
    const from = args.indexOf('piix3-ide,id=piix-ide') - 1;
    expect(args.slice(from, from + 10)).toEqual([
      '-device',
      'piix3-ide,id=piix-ide',
      '-drive',
      'driver=null-co,size=1048576,read-zeroes=on,if=none,id=ide0',
      '-device',
      'ide-hd,drive=ide0,bus=piix-ide.0,unit=0',
      '-drive',
      'file=/i/c.iso,format=raw,readonly=on,if=none,id=ide2',
      '-device',
      'ide-cd,drive=ide2,bus=piix-ide.1,unit=0',
    ]);
  });

  test('direct Linux boot with initrd, user networking, snapshot qcow2 with host cache off', () => {
    const args = buildQemuArgs(
      {
        name: 'inst',
        logDir: '/l',
        disks: [{ kind: 'image', path: '/i/o.qcow2', format: 'qcow2', mode: 'snapshot', cache: 'none' }],
        nics: [{ kind: 'user', mac: '52:54:00:00:00:02', model: 'virtio-net-pci' }],
        kernel: '/d-i/linux',
        append: 'auto=true',
        initrd: '/d-i/initrd.gz',
      },
      { socketDir: '/s', accel: 'kvm' },
    );
    expect(args).toContain('kvm');
    expect(args.join(' ')).toContain('-kernel /d-i/linux -append auto=true -initrd /d-i/initrd.gz');
    expect(args).toContain('file=/i/o.qcow2,format=qcow2,if=ide,index=0,media=disk,cache=none,snapshot=on');
    expect(args.slice(-4)).toEqual([
      '-netdev',
      'user,id=net0',
      '-device',
      'virtio-net-pci,netdev=net0,mac=52:54:00:00:00:02',
    ]);
  });

  test('CD-ROM: secondary channel master (ide1-cd0) with no, one or two disks; its slave behind a third disk', () => {
    const cdromDrive = (disks: number) => {
      const args = buildQemuArgs(
        {
          name: 'cd',
          logDir: '/l',
          cdrom: '/i/c.iso',
          disks: Array.from({ length: disks }, () => ({ kind: 'placeholder' as const, sizeBytes: 512 })),
        },
        runtime,
      );
      return args.filter((a) => a.includes('media=cdrom'));
    };
    expect(cdromDrive(0)).toEqual(['file=/i/c.iso,format=raw,if=ide,index=2,media=cdrom,readonly=on']);
    expect(cdromDrive(1)).toEqual(['file=/i/c.iso,format=raw,if=ide,index=2,media=cdrom,readonly=on']);
    expect(cdromDrive(2)).toEqual(['file=/i/c.iso,format=raw,if=ide,index=2,media=cdrom,readonly=on']);
    expect(cdromDrive(3)).toEqual(['file=/i/c.iso,format=raw,if=ide,index=3,media=cdrom,readonly=on']);
  });

  test('USB mass storage: one xHCI controller, a usb-storage device on its bus per disk image', () => {
    const args = buildQemuArgs(
      {
        name: 'usb',
        logDir: '/l',
        disks: [{ kind: 'placeholder', sizeBytes: 512 }],
        cdrom: '/i/c.iso',
        usbDisks: [
          { path: '/i/stick.img', format: 'raw' },
          { path: '/i/a,b.img', format: 'raw' },
        ],
        kernel: 'vmm.elf',
      },
      runtime,
    );
    const cdrom = args.indexOf('file=/i/c.iso,format=raw,if=ide,index=2,media=cdrom,readonly=on');
    expect(args.slice(cdrom + 1, args.indexOf('-kernel'))).toEqual([
      '-device',
      'qemu-xhci,id=usb',
      '-drive',
      'file=/i/stick.img,format=raw,if=none,id=usbdisk0',
      '-device',
      'usb-storage,bus=usb.0,drive=usbdisk0',
      '-drive',
      'file=/i/a,,b.img,format=raw,if=none,id=usbdisk1',
      '-device',
      'usb-storage,bus=usb.0,drive=usbdisk1',
    ]);
    // USB disks take no IDE slot; no USB controller without USB disks.
    expect(args.filter((a) => a.includes('if=ide'))).toHaveLength(2);
    expect(buildQemuArgs({ name: 'none', logDir: '/l', usbDisks: [] }, runtime).join(' ')).not.toMatch(/usb|xhci/);
  });

  test('network boot: PXE from the first NIC (-boot order=n) and no -kernel; option ROM choice', () => {
    const args = buildQemuArgs(
      {
        name: 'pxe',
        logDir: '/l',
        bootFrom: 'network',
        disks: [{ kind: 'placeholder', sizeBytes: 4 * 2 ** 30 }],
        netns: 'ns1',
        nics: [{ kind: 'tap', tap: 'tap0', mac: '52:54:00:00:00:03', model: 'e1000' }],
      },
      runtime,
    );
    expect(args).toEqual([
      '-name',
      'pxe,process=qemu-pxe',
      ...common,
      '-m',
      '1024',
      ...consoles,
      '-drive',
      'driver=null-co,size=4294967296,read-zeroes=on,if=ide,index=0,media=disk',
      '-netdev',
      'tap,id=net0,ifname=tap0,script=no,downscript=no',
      '-device',
      'e1000,netdev=net0,mac=52:54:00:00:00:03',
      '-boot',
      'order=n',
    ]);
    expect(args).not.toContain('-kernel');
    // An explicit option ROM (a QEMU firmware-path name or a path; commas escaped), and none at all.
    const rom = (romfile: string) =>
      buildQemuArgs(
        { name: 'rom', logDir: '/l', nics: [{ kind: 'user', mac: '52:54:00:00:00:04', romfile }] },
        runtime,
      ).at(-1);
    expect(rom('pxe-e1000.rom')).toBe('e1000,netdev=net0,mac=52:54:00:00:00:04,romfile=pxe-e1000.rom');
    expect(rom('/r/a,b.rom')).toBe('e1000,netdev=net0,mac=52:54:00:00:00:04,romfile=/r/a,,b.rom');
    expect(rom('')).toBe('e1000,netdev=net0,mac=52:54:00:00:00:04,romfile=');
    // The default boot source adds nothing: QEMU's own order (first hard disk).
    expect(buildQemuArgs({ name: 'disk', logDir: '/l', bootFrom: 'disk' }, runtime)).not.toContain('-boot');
  });

  test('network boot is refused without a NIC, with its option ROM removed, or together with -kernel', () => {
    expect(() => buildQemuArgs({ name: 'n', logDir: '/l', bootFrom: 'network' }, runtime)).toThrow(
      /bootFrom 'network' needs a NIC/,
    );
    expect(() =>
      buildQemuArgs(
        {
          name: 'n',
          logDir: '/l',
          bootFrom: 'network',
          kernel: 'vmm.elf',
          nics: [{ kind: 'user', mac: '52:54:00:00:00:05', romfile: '' }],
        },
        runtime,
      ),
    ).toThrow(
      /needs the first NIC's option ROM \(its romfile is ''\)[\s\S]*bootFrom 'network' and kernel exclude each other/,
    );
  });

  test('bad specs are refused with every problem listed', () => {
    expect(() =>
      buildQemuArgs(
        {
          name: 'bad name',
          logDir: '/l',
          append: 'x',
          initrd: '/i/initrd',
          nics: [{ kind: 'tap', mac: 'zz' }],
          fwCfgFiles: [{ name: 'job.json', path: '/j' }],
          disks: [{ kind: 'placeholder', sizeBytes: 0 }],
          usbDisks: Array.from({ length: 5 }, (_, i) => ({
            path: i === 0 ? '' : `/u${i}.img`,
            format: 'raw' as const,
          })),
        },
        runtime,
      ),
    ).toThrow(
      /name "bad name"[\s\S]*5 USB disks requested; the xHCI controller has 4[\s\S]*needs the path[\s\S]*append given without kernel[\s\S]*initrd given without kernel[\s\S]*not aa:bb[\s\S]*tap device name[\s\S]*must start with "opt\/"[\s\S]*positive whole number/,
    );
  });
});
