/** The system configurations the paper measures, plus the alternative it discusses. */
export const configurationIds = [
  'local',
  'vmm-local',
  'vmm-aoe-cache-on',
  'vmm-aoe-cache-off',
  'ipxe-sanboot-aoe',
  'kvm-nfs',
  'probe-aoe-cache-on',
  'probe-aoe-cache-off',
] as const;
export type ConfigurationId = (typeof configurationIds)[number];

export const configurationLabels: Record<ConfigurationId, string> = {
  local: 'Local disk',
  'vmm-local': 'VMM + local disk',
  'vmm-aoe-cache-on': 'VMM + AoE, server cache on',
  'vmm-aoe-cache-off': 'VMM + AoE, server cache off',
  'ipxe-sanboot-aoe': 'iPXE sanboot AoE (alternative)',
  'kvm-nfs': 'KVM + NFS (baseline)',
  // The server side of the paper's 5.5 analysis without the hypervisor: the host's own AoE
  // initiator (server/build/aoe-probe) sends each 1 MiB read to the patched vblade.
  'probe-aoe-cache-on': 'Host AoE initiator, server cache on',
  'probe-aoe-cache-off': 'Host AoE initiator, server cache off',
};
