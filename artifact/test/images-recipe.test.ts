// SPDX-License-Identifier: MIT
import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { nicLinkMarker, nicLinkUpScript } from '../images/aoe-root-initramfs.js';
import { debianRecipe, parseDebianVariant } from '../images/index.js';

describe('Debian image recipes', () => {
  test('stock has nothing for network boot; aoe-root adds aoetools and the NIC drivers, nothing else', () => {
    const stock = debianRecipe('stock');
    const aoeRoot = debianRecipe('aoe-root');
    expect(stock.chrootPackages).not.toContain('aoetools');
    expect(stock.initramfsModules).not.toContain('e1000');
    expect(stock.aoeRoot).toBe(false);
    expect(aoeRoot.chrootPackages).toEqual([...stock.chrootPackages, 'aoetools']);
    expect(aoeRoot.initramfsModules).toEqual([...stock.initramfsModules, 'e1000', 'e1000e']);
    expect({
      ...aoeRoot,
      variant: 'stock',
      chrootPackages: stock.chrootPackages,
      initramfsModules: stock.initramfsModules,
      aoeRoot: false,
    }).toEqual(stock);
  });

  test('kvm-host is stock plus QEMU and the NFS client, with the launcher instead of the benchmark payload', () => {
    const stock = debianRecipe('stock');
    const kvmHost = debianRecipe('kvm-host');
    expect(stock.kvmHost).toBe(false);
    expect(kvmHost.chrootPackages).toEqual([...stock.chrootPackages, 'qemu-system-x86', 'nfs-common']);
    expect({ ...kvmHost, variant: 'stock', chrootPackages: stock.chrootPackages, kvmHost: false }).toEqual(stock);
  });

  test('a variant name from the command line is checked, and the error lists the valid ones', () => {
    expect(parseDebianVariant('aoe-root')).toBe('aoe-root');
    expect(() => parseDebianVariant('aoe')).toThrow(
      'unknown image variant "aoe": use one of stock, aoe-root, kvm-host',
    );
  });

  test('the initramfs script is valid sh, is an initramfs-tools script, and prints its marker', () => {
    execFileSync('sh', ['-n'], { input: nicLinkUpScript });
    expect(execFileSync('sh', ['-s', 'prereqs'], { input: nicLinkUpScript }).toString()).toBe('\n');
    expect(nicLinkUpScript).toContain(`echo "${nicLinkMarker} $nic`);
  });
});
