// SPDX-License-Identifier: MIT
/** The system configurations the paper measures, plus the alternative it discusses. */
export const configurationIds = [
  'local',
  'vmm-local',
  'vmm-aoe-cache-on',
  'vmm-aoe-cache-off',
  'vmm-aoe-jumbo-cache-on',
  'vmm-aoe-jumbo-cache-off',
  'vmm-aoe-parallel-cache-on',
  'vmm-aoe-parallel-cache-off',
  'vmm-pxe-aoe-cache-on',
  'ipxe-sanboot-aoe',
  'guest-aoe-initiator',
  'kvm-nfs',
  'probe-aoe-cache-on',
  'probe-aoe-cache-off',
  'windows-local',
  'windows-vmm-aoe-cache-on',
  'windows-vmm-aoe-cache-off',
  'local-hdd-x0.25',
  'local-hdd-x0.5',
  'local-hdd-x1',
  'local-hdd-x2',
  'local-hdd-x4',
  'local-hdd-x16',
  'storm-vblade-cache-on',
  'storm-vblade-cache-off',
  'storm-parallel-cache-on',
  'storm-parallel-cache-off',
] as const;
export type ConfigurationId = (typeof configurationIds)[number];

/**
 * The disk-speed sweep (Figs 12 and 13, beyond the paper): the local configuration on the hard
 * disk model at these speeds relative to the paper's drive (1 = the 2011 WD Scorpio; the model's
 * times divided by the speed). The emulated `local` disk is the sweep's SSD-class point.
 */
export const diskSweepSpeeds = {
  'local-hdd-x0.25': 0.25,
  'local-hdd-x0.5': 0.5,
  'local-hdd-x1': 1,
  'local-hdd-x2': 2,
  'local-hdd-x4': 4,
  'local-hdd-x16': 16,
} as const satisfies Partial<Record<ConfigurationId, number>>;
export type DiskSweepConfigurationId = keyof typeof diskSweepSpeeds;
/** The sweep's figures: boot time, and the fio rows. */
export const sweepExperimentIds = ['fig12-disk-speed-boot-time', 'fig13-disk-speed-throughput'] as const;
export const isDiskSweepConfiguration = (id: ConfigurationId): id is DiskSweepConfigurationId => id in diskSweepSpeeds;

export const configurationLabels: Record<ConfigurationId, string> = {
  local: 'Local disk',
  'vmm-local': 'VMM + local disk',
  'vmm-aoe-cache-on': 'VMM + AoE, server cache on',
  'vmm-aoe-cache-off': 'VMM + AoE, server cache off',
  // Beyond the paper: the same chain with tap, server and hypervisor at a 9000-byte MTU (17 sectors per frame).
  'vmm-aoe-jumbo-cache-on': 'VMM + AoE, jumbo frames, server cache on',
  'vmm-aoe-jumbo-cache-off': 'VMM + AoE, jumbo frames, server cache off',
  // Beyond the paper (its 5.5 proposal): our parallel server, aoe-parallel, in vblade's place.
  'vmm-aoe-parallel-cache-on': 'VMM + AoE, parallel server, server cache on',
  'vmm-aoe-parallel-cache-off': 'VMM + AoE, parallel server, server cache off',
  // The paper's full chain (section 4.7): the hypervisor itself comes over the network (PXE).
  'vmm-pxe-aoe-cache-on': 'VMM loaded by PXE + AoE, server cache on',
  // Beyond the paper, the alternative users would pick: iPXE's sanboot over AoE, then the OS's own
  // Linux aoe initiator (the aoe-root image variant); no hypervisor.
  'ipxe-sanboot-aoe': 'iPXE sanboot + Linux AoE, server cache on',
  // Beyond the paper: the OS boots its local disk and reaches the same server through its own
  // Linux AoE initiator (the aoe module), over the same wire; what our hypervisor is compared to.
  'guest-aoe-initiator': "Guest's Linux AoE initiator, cache on",
  'kvm-nfs': 'KVM + NFS (baseline)',
  // The server side of the paper's 5.5 analysis without the hypervisor: the host's own AoE
  // initiator (server/build/aoe-probe) sends each 1 MiB read to the patched vblade.
  'probe-aoe-cache-on': 'Host AoE initiator, server cache on',
  'probe-aoe-cache-off': 'Host AoE initiator, server cache off',
  // The paper's own guest for 5.3-5.7 (bring your own ISO; experiments/shared/windows-guest.ts).
  'windows-local': 'Windows 7 guest: local disk',
  'windows-vmm-aoe-cache-on': 'Windows 7 guest: VMM + AoE, server cache on',
  'windows-vmm-aoe-cache-off': 'Windows 7 guest: VMM + AoE, server cache off',
  'local-hdd-x0.25': 'Local disk: the 2011 drive at 1/4 speed (model)',
  'local-hdd-x0.5': 'Local disk: the 2011 drive at 1/2 speed (model)',
  'local-hdd-x1': 'Local disk: the 2011 drive (model)',
  'local-hdd-x2': 'Local disk: the 2011 drive at 2x speed (model)',
  'local-hdd-x4': 'Local disk: the 2011 drive at 4x speed (model)',
  'local-hdd-x16': 'Local disk: the 2011 drive at 16x speed (model)',
  // Beyond the paper (issue 21's boot storm): N clients at once, one real boot's requests replayed.
  'storm-vblade-cache-on': 'Boot storm: vblade, server cache on',
  'storm-vblade-cache-off': 'Boot storm: vblade, server cache off',
  'storm-parallel-cache-on': 'Boot storm: parallel server, server cache on',
  'storm-parallel-cache-off': 'Boot storm: parallel server, server cache off',
};

/** The boot storm's configurations (Fig. 14, beyond the paper): its server program and cache. */
export const stormServers = {
  'storm-vblade-cache-on': { program: 'vblade', cache: 'on' },
  'storm-vblade-cache-off': { program: 'vblade', cache: 'off' },
  'storm-parallel-cache-on': { program: 'aoe-parallel', cache: 'on' },
  'storm-parallel-cache-off': { program: 'aoe-parallel', cache: 'off' },
} as const satisfies Partial<Record<ConfigurationId, { program: 'vblade' | 'aoe-parallel'; cache: 'on' | 'off' }>>;
export type StormConfigurationId = keyof typeof stormServers;
export const isStormConfiguration = (id: ConfigurationId): id is StormConfigurationId => id in stormServers;
export const stormExperimentId = 'fig14-boot-storm';

const jumboOnlyEmulated =
  "sets the wire's MTU to 9000 for this row only, which only the emulated testbed can; on hardware, give the wire mtu 9000 in the description and measure the vmm-aoe-cache-* rows";

/**
 * Why a configuration cannot run on a hardware testbed; configurations not listed run there. On a
 * real PC everything comes from the network: the hypervisor by PXE (so vmm-aoe-* there are the
 * PXE-loaded chain) and the disk by AoE. The pipeline does not write the client's own disk.
 */
export const notOnHardware: Partial<Record<ConfigurationId, string>> = {
  local:
    "boots the stock image from the client's own disk, which the pipeline does not write on a real PC; measure it with --testbed emulated",
  'vmm-local':
    "boots the stock image from the client's own disk, which the pipeline does not write on a real PC; measure it with --testbed emulated",
  'guest-aoe-initiator':
    "boots the stock image from the client's own disk, which the pipeline does not write on a real PC; measure it with --testbed emulated",
  'kvm-nfs': 'the KVM host image is only run on the emulated testbed',
  'vmm-aoe-jumbo-cache-on': jumboOnlyEmulated,
  'vmm-aoe-jumbo-cache-off': jumboOnlyEmulated,
  'windows-local':
    "boots the Windows image from the client's own disk, which the pipeline does not write on a real PC; measure it with --testbed emulated",
  'probe-aoe-cache-on':
    "measures the server alone with the host's own initiator, no client: measure it with --testbed emulated",
  'probe-aoe-cache-off':
    "measures the server alone with the host's own initiator, no client: measure it with --testbed emulated",
  ...Object.fromEntries(
    Object.keys(stormServers).map((id) => [
      id,
      'boots emulated PCs and runs host-side initiators on one wire of this host: measure it with --testbed emulated',
    ]),
  ),
  ...Object.fromEntries(
    Object.keys(diskSweepSpeeds).map((id) => [
      id,
      "puts the client's disk behind the hard disk model, which only the emulated testbed can: measure it with --testbed emulated",
    ]),
  ),
};
