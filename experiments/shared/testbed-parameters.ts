// SPDX-License-Identifier: MIT
import { runSize, type RunOptions } from '../../artifact/core/options.js';
import { tunables } from '../../artifact/core/tunables.js';
import { Lanes } from '../../artifact/core/lanes.js';
import { fioPresets } from '../../artifact/images/index.js';
import { machineDefaults } from '../../artifact/testbed/index.js';
import { aoeSectorsPerFrame, jumboMtu, serverBuffers, wireMtu } from './aoe-server.js';
import { appBenchmarkSize } from './app-benchmark.js';
import { replayOptions, stormSizes } from './boot-storm.js';
import { rttJobSize } from './hypervisor-rtt.js';
import { kvmGuestMemoryMiB, kvmHostMemoryMiB } from './kvm-nfs.js';
import { nfsMountOptions } from '../../server/nfs-config.js';
import { nfsServerDescription } from '../../server/nfs-server.js';

/**
 * The emulated testbed's settings a run's numbers depend on, besides the code and the machine:
 * written into the run's manifest, so that runs can be compared knowing what differed. The run's
 * own choices first (its size's jobs, lanes, sessions), then the whole tunables table.
 */
export function testbedParameters(options: RunOptions) {
  const size = runSize(options);
  return {
    repetitions: options.reps,
    size: runSize(options),
    lanes:
      (options.jobs ?? 1) > 1
        ? {
            clientsAtOnce: options.jobs,
            cpus: new Lanes(options.jobs!).all.map((lane) => lane.cpus),
            bootTimesAlone: !options.parallelBoots,
          }
        : 'one client PC at a time',
    bootSessions: options.bootPerExperiment
      ? "one boot per experiment (the paper's procedure)"
      : 'one boot per configuration and repetition serves every experiment',
    client: {
      cpus: machineDefaults.cpus,
      memoryMiB: machineDefaults.memoryMiB,
      cpu: machineDefaults.cpu,
      disk: 'IDE (PIIX), host cache off (O_DIRECT)',
      nic: 'e1000 (82540EM)',
    },
    wire: {
      mtu: wireMtu,
      aoeSectorsPerFrame: aoeSectorsPerFrame(wireMtu),
      jumboMtu,
      jumboAoeSectorsPerFrame: aoeSectorsPerFrame(jumboMtu),
      serverBuffers,
    },
    fio: fioPresets[size],
    applications: appBenchmarkSize[size],
    rtt: rttJobSize[size],
    bootStorm: { clients: stormSizes[size], replayOptions: replayOptions.join(' ') },
    kvmNfsBaseline: {
      hostMemoryMiB: kvmHostMemoryMiB,
      guestMemoryMiB: kvmGuestMemoryMiB,
      mountOptions: nfsMountOptions,
      guestDisk: 'IDE, cache=none (O_DIRECT on the NFS file)',
      server: nfsServerDescription,
    },
    tunables,
  };
}
