// SPDX-License-Identifier: MIT
import { existsSync } from 'node:fs';
import path from 'node:path';
import { paths, repoRoot } from './paths.js';

/**
 * Hypervisor paths the lead declares as working end to end. This is the one place to flip
 * when a path lands; each flag is only believed when vmm/build/vmm.elf exists too.
 */
export const hypervisorFeatures = {
  /**
   * The guest boots its local disk under the hypervisor (Figs 4, 5, 9: vmm-local). Seen working:
   * the Fig. 4 vmm-local runner booted the stock image through vmm.elf to login (2026-11-26).
   */
  localDiskPassthrough: true,
  /**
   * ATA trapped and forwarded to a vblade as AoE (Figs 4-9: vmm-aoe-*). Seen working: the Fig. 4
   * vmm-aoe runners booted the stock image over AoE to login, cache on and off (2026-11-27).
   */
  aoeDisk: true,
  /** Per-packet AoE RTT trace, TSC-timed (Fig. 8). */
  rttTrace: true,
} as const;

export const capabilityIds = [
  'testbed-library',
  'debian-image',
  'guest-benchmark',
  'hypervisor-local-disk',
  'hypervisor-aoe',
  'hypervisor-rtt-trace',
  'aoe-server',
  'parallel-aoe-server',
  'aoe-probe',
  'server-accounting',
  'pxe-boot-services',
  'aoe-root-image',
  'kvm-host-image',
  'nfs-server',
  'windows-image',
] as const;
export type CapabilityId = (typeof capabilityIds)[number];

export interface CapabilityStatus {
  available: boolean;
  /** What is missing, phrased so it can stand as the 'not run' reason in the report. */
  reason: string;
}

const fileExists = (relative: string) => existsSync(path.join(repoRoot, relative));

function hypervisorFeature(flag: keyof typeof hypervisorFeatures, what: string): CapabilityStatus {
  if (!existsSync(paths.vmmElf))
    return { available: false, reason: `hypervisor not built (vmm/build/vmm.elf missing; run make -C vmm)` };
  if (!hypervisorFeatures[flag]) return { available: false, reason: `hypervisor ${what} not implemented yet` };
  return { available: true, reason: '' };
}

const checks: Record<CapabilityId, () => CapabilityStatus> = {
  'testbed-library': () =>
    fileExists('artifact/testbed/index.ts')
      ? { available: true, reason: '' }
      : { available: false, reason: 'QEMU machine library (artifact/testbed/) not available yet' },
  'debian-image': () =>
    fileExists('artifact/images/index.ts')
      ? { available: true, reason: '' }
      : { available: false, reason: 'Debian image provisioning (artifact/images/) not available yet' },
  'guest-benchmark': () =>
    fileExists('guest/netboot-bench/runner.py')
      ? { available: true, reason: '' }
      : { available: false, reason: 'guest benchmark payload (guest/netboot-bench/) not available yet' },
  'hypervisor-local-disk': () => hypervisorFeature('localDiskPassthrough', 'local-disk boot'),
  'hypervisor-aoe': () => hypervisorFeature('aoeDisk', 'AoE path'),
  'hypervisor-rtt-trace': () => hypervisorFeature('rttTrace', 'per-packet RTT trace'),
  'aoe-server': () =>
    existsSync(paths.vblade)
      ? { available: true, reason: '' }
      : { available: false, reason: 'patched vblade not built (server/build/vblade missing; run make -C server)' },
  'parallel-aoe-server': () =>
    existsSync(paths.aoeParallel)
      ? { available: true, reason: '' }
      : {
          available: false,
          reason:
            'aoe-parallel not built (server/build/aoe-parallel missing; run make -C server, which needs liburing-dev)',
        },
  'aoe-probe': () =>
    existsSync(paths.aoeProbe)
      ? { available: true, reason: '' }
      : {
          available: false,
          reason: 'host AoE initiator not built (server/build/aoe-probe missing; run make -C server)',
        },
  'server-accounting': () =>
    fileExists('server/accounting.ts')
      ? { available: true, reason: '' }
      : { available: false, reason: 'vblade accounting log parser (server/accounting.ts) not available yet' },
  'pxe-boot-services': () =>
    existsSync(paths.dnsmasq)
      ? { available: true, reason: '' }
      : {
          available: false,
          reason: `dnsmasq (${paths.dnsmasq}) missing: install the dnsmasq-base package (artifact/bootstrap.sh does)`,
        },
  'nfs-server': () =>
    [paths.ganesha, paths.rpcbind].every((binary) => existsSync(binary))
      ? { available: true, reason: '' }
      : {
          available: false,
          reason: `NFS server missing (${paths.ganesha}, ${paths.rpcbind}): install nfs-ganesha, nfs-ganesha-vfs and rpcbind (artifact/bootstrap.sh does)`,
        },
  // The provision stage builds these when a selected configuration needs them; a failed build blocks
  // the capability for the run (with the build's reason), as a failed make does for the others.
  'aoe-root-image': () => ({ available: true, reason: '' }),
  'kvm-host-image': () => ({ available: true, reason: '' }),
  // Bring your own ISO: the provision stage blocks it with windowsSkipMessage when none is given.
  'windows-image': () => ({ available: true, reason: '' }),
};

export function checkCapability(id: CapabilityId): CapabilityStatus {
  return checks[id]();
}

/** What a component's failed build takes away: its old binaries must not stand in for the sources. */
export const capabilitiesBuiltBy = {
  vmm: ['hypervisor-local-disk', 'hypervisor-aoe', 'hypervisor-rtt-trace'],
  server: ['aoe-server', 'aoe-probe'],
} as const satisfies Record<string, readonly CapabilityId[]>;

/**
 * The first missing capability among `needs`, or undefined when all are there. `blocked` holds
 * capabilities this run took away (a component that failed to build), with the reason.
 */
export function firstMissing(
  needs: readonly CapabilityId[],
  blocked: ReadonlyMap<CapabilityId, string> = new Map(),
): CapabilityStatus | undefined {
  for (const id of needs) {
    const reason = blocked.get(id);
    if (reason !== undefined) return { available: false, reason };
    const status = checkCapability(id);
    if (!status.available) return status;
  }
  return undefined;
}
