import { describe, expect, test } from 'vitest';
import { buildQemuArgs } from '../testbed/index.js';

const runtime = { socketDir: '/tmp/tb-x', accel: 'tcg' as const };
const common = [
  '-M', 'pc', '-accel', 'tcg', '-cpu', 'qemu64,+svm,+npt', '-smp', '1',
];
const consoles = [
  '-nodefaults', '-vga', 'std', '-display', 'none',
  '-chardev', 'socket,id=qmp,path=/tmp/tb-x/qmp.sock,server=on,wait=off',
  '-mon', 'chardev=qmp,mode=control',
  '-chardev', 'socket,id=com1,path=/tmp/tb-x/com1.sock,server=on,wait=on',
  '-serial', 'chardev:com1',
  '-chardev', 'socket,id=com2,path=/tmp/tb-x/com2.sock,server=on,wait=on',
  '-serial', 'chardev:com2',
];

describe('buildQemuArgs', () => {
  test('local disk boot: defaults and a snapshot IDE disk', () => {
    expect(
      buildQemuArgs({ name: 'local', logDir: '/l', disks: [{ kind: 'image', path: '/i/debian.img', format: 'raw', mode: 'snapshot' }] }, runtime),
    ).toEqual([
      '-name', 'local,process=qemu-local', ...common, '-m', '1024', ...consoles,
      '-drive', 'file=/i/debian.img,format=raw,if=ide,index=0,media=disk,snapshot=on',
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
      '-name', 'vmm,process=qemu-vmm', ...common, '-m', '2048', ...consoles,
      '-drive', 'driver=null-co,size=4294967296,read-zeroes=on,if=ide,index=0,media=disk',
      '-drive', 'file=/i/a,,b.iso,format=raw,if=ide,index=2,media=cdrom,readonly=on',
      '-kernel', 'vmm/build/vmm.elf', '-append', 'aoe=e0.1',
      '-netdev', 'tap,id=net0,ifname=tap0,script=no,downscript=no', '-device', 'e1000,netdev=net0,mac=52:54:00:00:00:01',
      '-fw_cfg', 'name=opt/netboot-bench/job.json,file=/r/job.json',
      '-no-reboot', '-d', 'guest_errors',
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
    expect(args.slice(-4)).toEqual(['-netdev', 'user,id=net0', '-device', 'virtio-net-pci,netdev=net0,mac=52:54:00:00:00:02']);
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
        },
        runtime,
      ),
    ).toThrow(
      /name "bad name"[\s\S]*append given without kernel[\s\S]*initrd given without kernel[\s\S]*not aa:bb[\s\S]*tap device name[\s\S]*must start with "opt\/"[\s\S]*positive whole number/,
    );
  });
});
