// SPDX-License-Identifier: MIT
import type { RunSize } from './options.js';

/**
 * Every setting of the emulated testbed that a run's numbers depend on, in one place: the
 * modules that use them (the QEMU machine, the AoE server, the guest jobs, the KVM + NFS
 * baseline) read them from here, and the run's manifest records this table whole with the run's
 * own choices (experiments/shared/testbed-parameters.ts). Change a value here and the resume
 * hash and `compare` see it.
 */
export const tunables = {
  /** The client PC (QEMU TCG): one CPU, as the hypervisor supports. */
  client: { cpus: 1, memoryMiB: 1024, cpu: 'qemu64,+svm,+npt' },
  /**
   * The wire between the client and the AoE server: 1500 bytes = 2 sectors per AoE frame, as in the
   * paper; the jumbo rows (vmm-aoe-jumbo-*, beyond the paper) use 9000 bytes = 17 sectors.
   */
  wire: { mtu: 1500, jumboMtu: 9000 },
  /** vblade's advertised buffer count (its default 16 overflows its socket buffer with larger windows). */
  aoeServer: { buffers: 64 },
  /** fio jobs of Figs 5, 7, 11: CrystalDiskMark 3's defaults at full size. */
  fio: {
    full: { sizeMiB: 1000, passes: 5, runtimeSeconds: 5 },
    quick: { sizeMiB: 32, passes: 1, runtimeSeconds: 2 },
    smoke: { sizeMiB: 16, passes: 1, runtimeSeconds: 1 },
  } satisfies Record<RunSize, { sizeMiB: number; passes: number; runtimeSeconds: number }>,
  /** The Fig. 9 application tests: input scale (1 = the full stand-ins) and passes. */
  applications: {
    full: { scale: 1, passes: 3 },
    quick: { scale: 0.1, passes: 1 },
    smoke: { scale: 0.05, passes: 1 },
  } satisfies Record<RunSize, { scale: number; passes: number }>,
  /** Fig. 8's 1 MiB O_DIRECT reads: how many, from a file of this size. */
  rtt: {
    full: { accesses: 1000, fileMiB: 256 },
    quick: { accesses: 50, fileMiB: 32 },
    smoke: { accesses: 20, fileMiB: 16 },
  } satisfies Record<RunSize, { accesses: number; fileMiB: number }>,
  /**
   * --profile hdd-2011-scaled's yardstick (artifact/core/disk-profile.ts): fio seq 1M reads by the
   * guest's own AoE initiator from a warm server, the same at every run size so k does not depend on it.
   */
  diskProfileYardstick: { sizeMiB: 64, passes: 3, runtimeSeconds: 5 },
  /** The KVM + NFS baseline (Figs 10, 11): the KVM host PC and its nested guest. */
  kvmNfs: { hostMemoryMiB: 2048, guestMemoryMiB: 1024 },
} as const;
