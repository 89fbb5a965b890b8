// SPDX-License-Identifier: MIT
// What the network-boot server says: the iPXE script and dnsmasq's command line (DHCP or
// proxy-DHCP, TFTP). Pure functions: the processes are started by boot-services.ts.

/** Files in the TFTP root (names a client asks for). */
export const bootFiles = {
  /** The generated iPXE script (ipxeScript). */
  script: 'boot.ipxe',
  /** The hypervisor image (multiboot ELF). */
  hypervisor: 'vmm.elf',
  /** iPXE for PXE ROMs that are not iPXE (real NICs): Debian's /usr/lib/ipxe/undionly.kpxe. */
  chainloader: 'undionly.kpxe',
} as const;

/** An IPv4 subnet on the server's interface inside the namespace (only there). */
export interface BootSubnet {
  /** The server's address; the TFTP server clients fetch from. */
  serverAddress: string;
  prefixLength: number;
  /** Addresses handed out in 'dhcp' mode (inclusive); ignored in 'proxy' mode. */
  rangeStart: string;
  rangeEnd: string;
}

export const defaultBootSubnet: BootSubnet = {
  serverAddress: '10.77.0.1',
  prefixLength: 24,
  rangeStart: '10.77.0.100',
  rangeEnd: '10.77.0.199',
};

/**
 * 'dhcp': dnsmasq hands out addresses and the boot file (a private wire, as in the testbed).
 * 'proxy': another DHCP server on the wire hands out addresses; dnsmasq only adds the PXE boot
 * information (proxy-DHCP, PXE spec 2.1) for PXE clients and serves TFTP.
 */
export type BootMode = 'dhcp' | 'proxy';

export interface DnsmasqConfig {
  mode: BootMode;
  ifname: string;
  subnet: BootSubnet;
  tftpRoot: string;
  leaseFile: string;
  pidFile: string;
  /**
   * Send IPv6 router advertisements (SLAAC, no DHCPv6) for the interface's IPv6 prefix: iPXE
   * configures IPv6 beside DHCPv4 and, with no router on the wire, waits ~16 s for one before it
   * fetches the script (measured with QEMU's iPXE 1.0.0+git-20190125). Needs an IPv6 address on
   * the interface (boot-services.ts adds `ipv6ServerAddress`). Only in 'dhcp' mode.
   */
  routerAdvertisement?: boolean;
}

/** The IPv6 address (unique local) the server's interface gets when it sends router advertisements. */
export const ipv6ServerAddress = 'fd77::1/64';

/**
 * What the generated iPXE script boots: the hypervisor (iPXE's multiboot loader, the paper's 4.7),
 * or, for the alternative without a hypervisor, the disk itself: `sanboot` hooks the AoE target
 * into the BIOS as drive 0x80 and boots its MBR (the OS then needs its own AoE initiator).
 */
export type IpxeBoot =
  { kind: 'multiboot'; options: string; file?: string } | { kind: 'sanboot-aoe'; shelf: number; slot: number };

/** The `#!ipxe` script for `boot`. */
export function ipxeScript(boot: IpxeBoot): string {
  const lines = ['#!ipxe'];
  if (boot.kind === 'multiboot') {
    const file = boot.file ?? bootFiles.hypervisor;
    if (/[\r\n]/.test(boot.options)) throw new Error('hypervisor options must be one line');
    if (!/^[A-Za-z0-9._-]+$/.test(file)) throw new Error(`hypervisor file name "${file}" must be a plain file name`);
    const options = boot.options.trim();
    lines.push(
      `echo netboot: loading ${file} from \${next-server} (client \${net0/mac}, \${net0/ip})`,
      `kernel ${file}${options === '' ? '' : ` ${options}`}`,
      'boot',
    );
  } else {
    // 0xffff and 0xff are AoE's broadcast addresses, not targets.
    if (!Number.isInteger(boot.shelf) || boot.shelf < 0 || boot.shelf > 0xfffe)
      throw new Error(`AoE shelf ${boot.shelf} must be 0-65534`);
    if (!Number.isInteger(boot.slot) || boot.slot < 0 || boot.slot > 0xfe)
      throw new Error(`AoE slot ${boot.slot} must be 0-254`);
    const target = `aoe:e${boot.shelf}.${boot.slot}`;
    lines.push(`echo netboot: sanboot ${target} (client \${net0/mac})`, `sanboot ${target}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * dnsmasq's argv (no configuration file is read). It serves only `ifname` (bound to it), no DNS,
 * and tells iPXE (user class "iPXE", or option 175 present) to fetch the script by TFTP from the
 * server; any other PXE ROM first gets iPXE itself (undionly.kpxe), which then asks again as iPXE.
 */
export function dnsmasqArgs(config: DnsmasqConfig): string[] {
  const { subnet } = config;
  for (const address of [subnet.serverAddress, subnet.rangeStart, subnet.rangeEnd]) parseIpv4(address);
  if (!Number.isInteger(subnet.prefixLength) || subnet.prefixLength < 8 || subnet.prefixLength > 30) {
    throw new Error(`prefix length ${subnet.prefixLength} must be 8-30`);
  }
  if (!/^[A-Za-z0-9_.-]{1,15}$/.test(config.ifname)) throw new Error(`interface name "${config.ifname}" is not valid`);
  const netmask = prefixToNetmask(subnet.prefixLength);
  const network = networkAddress(subnet.serverAddress, subnet.prefixLength);
  // Proxy mode hands out no addresses: the range is the other DHCP server's business.
  for (const address of config.mode === 'dhcp' ? [subnet.rangeStart, subnet.rangeEnd] : []) {
    if (networkAddress(address, subnet.prefixLength) !== network)
      throw new Error(`DHCP range address ${address} is outside ${network}/${subnet.prefixLength}`);
  }
  // iPXE accepts a URI as boot file name: valid in both modes, without relying on next-server.
  const scriptUri = `tftp://${subnet.serverAddress}/${bootFiles.script}`;
  const args = [
    '--keep-in-foreground',
    '--conf-file=/dev/null',
    '--port=0', // no DNS server
    '--no-resolv',
    '--no-hosts',
    `--interface=${config.ifname}`,
    '--except-interface=lo',
    '--bind-interfaces',
    '--log-facility=-',
    '--log-dhcp',
    `--pid-file=${config.pidFile}`,
    `--dhcp-leasefile=${config.leaseFile}`,
    '--enable-tftp',
    `--tftp-root=${config.tftpRoot}`,
    '--dhcp-userclass=set:ipxe,iPXE',
    '--dhcp-match=set:ipxe,175',
  ];
  if (config.mode === 'dhcp') {
    args.push(
      `--dhcp-range=${subnet.rangeStart},${subnet.rangeEnd},${netmask},1h`,
      '--dhcp-option=option:router', // empty: no default route (there is nothing to route to)
      `--dhcp-boot=tag:ipxe,${scriptUri}`,
      `--dhcp-boot=tag:!ipxe,${bootFiles.chainloader}`,
    );
    if (config.routerAdvertisement) args.push('--enable-ra', `--dhcp-range=::,constructor:${config.ifname},ra-only`);
  } else {
    if (config.routerAdvertisement)
      throw new Error('router advertisements are for dhcp mode only (in proxy mode the wire has its own routers)');
    args.push(
      `--dhcp-range=${network},proxy,${netmask}`,
      // The server address (siaddr) too: iPXE takes the file name and next-server from the same
      // settings block and ignores a ProxyDHCP answer whose siaddr is 0 ("Nothing to boot").
      `--dhcp-boot=tag:ipxe,${scriptUri},,${subnet.serverAddress}`,
      // In proxy mode a plain PXE ROM is answered through the PXE menu: one entry, no prompt.
      `--pxe-service=tag:!ipxe,x86PC,Network boot (iPXE),${bootFiles.chainloader}`,
    );
  }
  return args;
}

function parseIpv4(address: string): number {
  const parts = address.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255))
    throw new Error(`"${address}" is not an IPv4 address`);
  return parts.reduce((value, p) => value * 256 + Number(p), 0);
}

function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

export function prefixToNetmask(prefixLength: number): string {
  return formatIpv4(2 ** 32 - 2 ** (32 - prefixLength));
}

export function networkAddress(address: string, prefixLength: number): string {
  const size = 2 ** (32 - prefixLength);
  return formatIpv4(Math.floor(parseIpv4(address) / size) * size);
}
