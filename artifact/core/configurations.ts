/** The system configurations the paper measures, plus the alternative it discusses. */
export const configurationIds = [
  'local',
  'vmm-local',
  'vmm-aoe-cache-on',
  'vmm-aoe-cache-off',
  'ipxe-sanboot-aoe',
  'kvm-nfs',
] as const;
export type ConfigurationId = (typeof configurationIds)[number];

export const configurationLabels: Record<ConfigurationId, string> = {
  local: 'Local disk',
  'vmm-local': 'VMM + local disk',
  'vmm-aoe-cache-on': 'VMM + AoE, server cache on',
  'vmm-aoe-cache-off': 'VMM + AoE, server cache off',
  'ipxe-sanboot-aoe': 'iPXE sanboot AoE (alternative)',
  'kvm-nfs': 'KVM + NFS (baseline)',
};
