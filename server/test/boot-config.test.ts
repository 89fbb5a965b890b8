// SPDX-License-Identifier: MIT
import { describe, expect, test } from 'vitest';
import {
  defaultBootSubnet,
  dnsmasqArgs,
  ipxeScript,
  networkAddress,
  prefixToNetmask,
  type DnsmasqConfig,
} from '../boot-config.js';
import { parseTransfers } from '../boot-services.js';

const base: DnsmasqConfig = {
  mode: 'dhcp',
  ifname: 'tap0',
  subnet: defaultBootSubnet,
  tftpRoot: '/w/tftp',
  leaseFile: '/w/leases',
  pidFile: '/w/dnsmasq.pid',
};

/** Options every mode shares: one interface, no DNS, no configuration file, TFTP, iPXE detection. */
const common = [
  '--keep-in-foreground',
  '--conf-file=/dev/null',
  '--port=0',
  '--no-resolv',
  '--no-hosts',
  '--interface=tap0',
  '--except-interface=lo',
  '--bind-interfaces',
  '--log-facility=-',
  '--log-dhcp',
  '--pid-file=/w/dnsmasq.pid',
  '--dhcp-leasefile=/w/leases',
  '--enable-tftp',
  '--tftp-root=/w/tftp',
  '--dhcp-userclass=set:ipxe,iPXE',
  '--dhcp-match=set:ipxe,175',
];

describe('iPXE script', () => {
  test('loads the hypervisor with its options through iPXE multiboot, then boots it', () => {
    const script = ipxeScript({ kind: 'multiboot', options: 'aoe=1.1 mtu=1500' });
    expect(script.split('\n')[0]).toBe('#!ipxe');
    expect(script).toMatch(/^kernel vmm\.elf aoe=1\.1 mtu=1500$/m);
    expect(script.trimEnd().split('\n').at(-1)).toBe('boot');
    expect(ipxeScript({ kind: 'multiboot', options: '' })).toMatch(/^kernel vmm\.elf$/m);
  });

  test('refuses multi-line options and file names that are not plain names', () => {
    expect(() => ipxeScript({ kind: 'multiboot', options: 'aoe=1.1\nshell' })).toThrow(/one line/);
    expect(() => ipxeScript({ kind: 'multiboot', options: 'aoe=1.1', file: '../vmm.elf' })).toThrow(/plain file name/);
  });

  test('sanboot: hooks the AoE target as the BIOS disk and boots it, nothing else', () => {
    const script = ipxeScript({ kind: 'sanboot-aoe', shelf: 0, slot: 1 });
    expect(script.trimEnd().split('\n').at(-1)).toBe('sanboot aoe:e0.1');
    expect(script).not.toMatch(/^kernel /m);
  });

  test('sanboot refuses the AoE broadcast addresses and non-integers', () => {
    expect(() => ipxeScript({ kind: 'sanboot-aoe', shelf: 0xffff, slot: 1 })).toThrow(/shelf 65535 must be 0-65534/);
    expect(() => ipxeScript({ kind: 'sanboot-aoe', shelf: 1, slot: 255 })).toThrow(/slot 255 must be 0-254/);
    expect(() => ipxeScript({ kind: 'sanboot-aoe', shelf: 1.5, slot: 1 })).toThrow(/shelf/);
  });
});

describe('dnsmasq command line', () => {
  test('dhcp mode: leases from the range, no router, iPXE gets the script by URI, other PXE ROMs get undionly.kpxe', () => {
    expect(dnsmasqArgs(base)).toEqual([
      ...common,
      '--dhcp-range=10.77.0.100,10.77.0.199,255.255.255.0,1h',
      '--dhcp-option=option:router',
      '--dhcp-boot=tag:ipxe,tftp://10.77.0.1/boot.ipxe',
      '--dhcp-boot=tag:!ipxe,undionly.kpxe',
    ]);
  });

  test('router advertisements (dhcp mode only): SLAAC on the interface, no DHCPv6', () => {
    expect(dnsmasqArgs({ ...base, routerAdvertisement: true }).slice(-2)).toEqual([
      '--enable-ra',
      '--dhcp-range=::,constructor:tap0,ra-only',
    ]);
    expect(dnsmasqArgs(base).join(' ')).not.toMatch(/enable-ra/);
    expect(() => dnsmasqArgs({ ...base, mode: 'proxy', routerAdvertisement: true })).toThrow(/dhcp mode only/);
  });

  test('proxy mode (a DHCP server already on the wire): no leases, PXE boot information and TFTP only', () => {
    const args = dnsmasqArgs({
      ...base,
      mode: 'proxy',
      subnet: { ...defaultBootSubnet, serverAddress: '192.168.1.5' },
    });
    expect(args).toEqual([
      ...common,
      '--dhcp-range=192.168.1.0,proxy,255.255.255.0',
      '--dhcp-boot=tag:ipxe,tftp://192.168.1.5/boot.ipxe,,192.168.1.5',
      '--pxe-service=tag:!ipxe,x86PC,Network boot (iPXE),undionly.kpxe',
    ]);
    expect(args.join(' ')).not.toMatch(/10\.77\.0\.1\d\d/); // hands out no addresses
  });

  test('refuses bad addresses, a range outside the subnet, odd prefixes and interface names', () => {
    expect(() => dnsmasqArgs({ ...base, subnet: { ...defaultBootSubnet, serverAddress: '10.77.0.300' } })).toThrow(
      /not an IPv4 address/,
    );
    expect(() => dnsmasqArgs({ ...base, subnet: { ...defaultBootSubnet, rangeEnd: '10.78.0.5' } })).toThrow(
      /outside 10\.77\.0\.0\/24/,
    );
    expect(() => dnsmasqArgs({ ...base, subnet: { ...defaultBootSubnet, prefixLength: 31 } })).toThrow(
      /prefix length 31/,
    );
    expect(() => dnsmasqArgs({ ...base, ifname: 'tap0 --server=8.8.8.8' })).toThrow(/interface name/);
  });

  test('subnet arithmetic', () => {
    expect(prefixToNetmask(24)).toBe('255.255.255.0');
    expect(prefixToNetmask(20)).toBe('255.255.240.0');
    expect(networkAddress('172.16.35.7', 20)).toBe('172.16.32.0');
  });
});

test('TFTP transfers are read from dnsmasq 2.90 log lines', () => {
  const lines = [
    { epochMs: 1, line: 'dnsmasq-dhcp[7]: 123 DHCPACK(tap0) 10.77.0.150 52:54:00:a0:e0:03' },
    { epochMs: 2, line: 'dnsmasq-tftp[7]: sent /tmp/bootsrv-x/tftp/boot.ipxe to 10.77.0.150' },
    { epochMs: 9, line: 'dnsmasq-tftp[7]: sent /tmp/bootsrv-x/tftp/vmm.elf to 10.77.0.150' },
    { epochMs: 10, line: 'dnsmasq-tftp[7]: file /tmp/bootsrv-x/tftp/autoexec.ipxe not found for 10.77.0.150' },
  ];
  expect(parseTransfers(lines)).toEqual([
    { epochMs: 2, file: 'boot.ipxe', client: '10.77.0.150' },
    { epochMs: 9, file: 'vmm.elf', client: '10.77.0.150' },
  ]);
});
