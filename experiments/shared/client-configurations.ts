// SPDX-License-Identifier: MIT
import type { CapabilityId } from '../../artifact/core/capabilities.js';
import {
  diskSweepSpeeds,
  type ConfigurationId,
  type DiskSweepConfigurationId,
} from '../../artifact/core/configurations.js';
import type {
  ConfigurationPlan,
  MeasurementWithoutRepetition,
  SessionBoot,
  SessionWork,
} from '../../artifact/core/experiment.js';
import { paths } from '../../artifact/core/paths.js';
import { jumboMtu, withAoeServer, withGuestAoeInitiator, withIpxeSanboot, withPxeNetworkBoot } from './aoe-server.js';
import { bootSession } from './boot-session.js';
import { guestImageDisk, modelledImageDisk } from './guest-image.js';
import { withKvmNfs } from './kvm-nfs.js';

/** How a configuration's client boots and what that needs; one row per configuration, used by every experiment. */
interface ClientConfiguration {
  needs: readonly CapabilityId[];
  boot: SessionBoot;
}

/** The configurations measured in boot sessions. Not here: the host-side probes (no client) and the Windows rows (no runner). */
export const clientConfigurations = {
  local: {
    needs: ['testbed-library', 'debian-image'],
    boot: bootSession((ctx, body) => body({ disk: guestImageDisk(ctx) })),
  },
  'vmm-local': {
    needs: ['hypervisor-local-disk', 'testbed-library', 'debian-image'],
    boot: bootSession((ctx, body) => body({ disk: guestImageDisk(ctx), kernel: paths.vmmElf, cpuNeeds: 'svm' })),
  },
  'vmm-aoe-cache-on': {
    needs: ['hypervisor-aoe', 'aoe-server', 'testbed-library', 'debian-image'],
    boot: bootSession((ctx, body) => withAoeServer(ctx, 'on', body)),
  },
  // The paper's whole chain (4.7): the hypervisor itself arrives by PXE; its VMM boot includes PXE.
  'vmm-pxe-aoe-cache-on': {
    needs: ['hypervisor-aoe', 'aoe-server', 'pxe-boot-services', 'testbed-library', 'debian-image'],
    boot: bootSession((ctx, body) => withPxeNetworkBoot(ctx, 'on', body)),
  },
  'vmm-aoe-cache-off': {
    needs: ['hypervisor-aoe', 'aoe-server', 'testbed-library', 'debian-image'],
    boot: bootSession((ctx, body) => withAoeServer(ctx, 'off', body)),
  },
  // Beyond the paper: the network boot with jumbo frames (tap, vblade and hypervisor at MTU 9000).
  'vmm-aoe-jumbo-cache-on': {
    needs: ['hypervisor-aoe', 'aoe-server', 'testbed-library', 'debian-image'],
    boot: bootSession((ctx, body) => withAoeServer(ctx, 'on', body, { mtu: jumboMtu })),
  },
  'vmm-aoe-jumbo-cache-off': {
    needs: ['hypervisor-aoe', 'aoe-server', 'testbed-library', 'debian-image'],
    boot: bootSession((ctx, body) => withAoeServer(ctx, 'off', body, { mtu: jumboMtu })),
  },
  // Beyond the paper: aoe-parallel (server/parallel) serves the image in vblade's place.
  'vmm-aoe-parallel-cache-on': {
    needs: ['hypervisor-aoe', 'parallel-aoe-server', 'testbed-library', 'debian-image'],
    boot: bootSession((ctx, body) => withAoeServer(ctx, 'on', body, { program: 'aoe-parallel' })),
  },
  'vmm-aoe-parallel-cache-off': {
    needs: ['hypervisor-aoe', 'parallel-aoe-server', 'testbed-library', 'debian-image'],
    boot: bootSession((ctx, body) => withAoeServer(ctx, 'off', body, { program: 'aoe-parallel' })),
  },
  // The alternative without a hypervisor: iPXE sanboot, then the guest's own aoe module.
  'ipxe-sanboot-aoe': {
    needs: ['aoe-server', 'pxe-boot-services', 'aoe-root-image', 'testbed-library', 'debian-image'],
    boot: bootSession((ctx, body) => withIpxeSanboot(ctx, 'on', body)),
  },
  // Beyond the paper: the local disk boots; jobs use a served disk through the guest's own initiator.
  'guest-aoe-initiator': {
    needs: ['aoe-server', 'testbed-library', 'debian-image'],
    boot: bootSession((ctx, body) => withGuestAoeInitiator(ctx, 'on', body)),
  },
  // The existing approach: a host OS with KVM boots first, then runs the image from NFS; the
  // nested guest's console (and shell) is the PC's COM2.
  'kvm-nfs': {
    needs: ['nfs-server', 'kvm-host-image', 'testbed-library', 'debian-image'],
    boot: bootSession(withKvmNfs),
  },
  // The disk-speed sweep (Figs 12, 13): `local` with its disk on the model at a given speed, whatever the run's profile.
  'local-hdd-x0.25': sweepPoint('local-hdd-x0.25'),
  'local-hdd-x0.5': sweepPoint('local-hdd-x0.5'),
  'local-hdd-x1': sweepPoint('local-hdd-x1'),
  'local-hdd-x2': sweepPoint('local-hdd-x2'),
  'local-hdd-x4': sweepPoint('local-hdd-x4'),
  'local-hdd-x16': sweepPoint('local-hdd-x16'),
} as const satisfies Partial<Record<ConfigurationId, ClientConfiguration>>;

function sweepPoint(id: DiskSweepConfigurationId): ClientConfiguration {
  return {
    needs: ['testbed-library', 'debian-image'],
    boot: bootSession((ctx, body) => body({ disk: modelledImageDisk(ctx, 1 / diskSweepSpeeds[id]) })),
  };
}

export type SessionConfigurationId = keyof typeof clientConfigurations;

/** What an experiment measures in a boot session, and how its raw folder becomes measurements. */
export interface SessionPart {
  work: SessionWork;
  parse: (rawDir: string) => Promise<MeasurementWithoutRepetition[]>;
  /** Capabilities this part needs beyond the configuration's own (e.g. the guest benchmark payload). */
  needs?: readonly CapabilityId[];
}

/** Plans for `configurations`, each measured by `part` in that configuration's boot session. */
export function inBootSessions(
  configurations: readonly SessionConfigurationId[],
  part: SessionPart,
): Partial<Record<ConfigurationId, ConfigurationPlan>> {
  return Object.fromEntries(
    configurations.map((id) => {
      const configuration = clientConfigurations[id];
      return [
        id,
        {
          needs: [...configuration.needs, ...(part.needs ?? [])],
          runner: { session: { boot: configuration.boot, work: part.work }, parse: part.parse },
        },
      ];
    }),
  );
}
