// SPDX-License-Identifier: MIT
import type { Experiment } from '../artifact/core/experiment.js';
import { fig04BootTime } from './fig04-boot-time/experiment.js';
import { fig05DiskThroughput } from './fig05-disk-throughput/experiment.js';
import { fig06BootCacheEffect } from './fig06-boot-cache-effect/experiment.js';
import { fig07BenchmarkCacheEffect } from './fig07-benchmark-cache-effect/experiment.js';
import { fig08AoeRtt } from './fig08-aoe-rtt/experiment.js';
import { fig09ApplicationBenchmark } from './fig09-application-benchmark/experiment.js';
import { fig10KvmBootTime } from './fig10-kvm-boot-time/experiment.js';
import { fig11KvmThroughput } from './fig11-kvm-throughput/experiment.js';
import { fig12DiskSpeedBootTime } from './fig12-disk-speed-boot-time/experiment.js';
import { fig13DiskSpeedThroughput } from './fig13-disk-speed-throughput/experiment.js';
import { fig14BootStorm } from './fig14-boot-storm/experiment.js';

/** Every experiment, in the paper's figure order; Figs 12 and 13 (the disk-speed sweep) and 14 (the boot storm) go beyond the paper. */
export const experiments: readonly Experiment[] = [
  fig04BootTime,
  fig05DiskThroughput,
  fig06BootCacheEffect,
  fig07BenchmarkCacheEffect,
  fig08AoeRtt,
  fig09ApplicationBenchmark,
  fig10KvmBootTime,
  fig11KvmThroughput,
  fig12DiskSpeedBootTime,
  fig13DiskSpeedThroughput,
  fig14BootStorm,
];

/** Resolves --only names: full ids or their figure prefix (fig04); unknown names get a clear error. */
export function selectExperiments(only: readonly string[] | null): Experiment[] {
  if (only === null) return [...experiments];
  return only.map((name) => {
    const found = experiments.find((e) => e.id === name || e.id.startsWith(`${name}-`));
    if (!found) throw new Error(`unknown experiment '${name}'. Known: ${experiments.map((e) => e.id).join(', ')}`);
    return found;
  });
}
