// SPDX-License-Identifier: MIT
// Samples, over time, the bytes clients issued to the server (the patched vblade's counters
// file, -a) next to the bytes that reached the exported block device (/sys/block/<dev>/stat):
// the two curves of the paper's Figs. 6 and 7 ("issued" vs "reached the disk").
import { existsSync, readFileSync } from 'node:fs';
import { parseCounters } from './accounting.js';

export interface AccountingSample {
  /** Milliseconds since the sampler started. */
  tMs: number;
  /** Wall-clock time of the sample (Date.now()), to align it with other host-side times. */
  epochMs: number;
  issuedReadBytes: number;
  issuedWriteBytes: number;
  reachedReadBytes: number;
  reachedWriteBytes: number;
}

export interface AccountingSampler {
  samples: AccountingSample[];
  /** Takes one last sample and stops. */
  stop(): AccountingSample[];
}

/** Bytes read and written on a block device so far (sectors are 512 bytes in this file). */
export function blockDeviceBytes(dev: string): { readBytes: number; writeBytes: number } {
  const name = dev.replace(/^\/dev\//, '');
  const path = `/sys/block/${name}/stat`;
  if (!existsSync(path)) throw new Error(`${path} does not exist: is ${dev} a whole block device (e.g. loop3)?`);
  const fields = readFileSync(path, 'utf8').trim().split(/\s+/).map(Number);
  return { readBytes: fields[2]! * 512, writeBytes: fields[6]! * 512 };
}

/**
 * Samples every intervalMs. Reached bytes are deltas from the start, so other earlier traffic on
 * the device does not count; issued bytes are the server's cumulative counters (zero at its start).
 */
export function startAccountingSampler(opts: {
  countersFile: string;
  blockDev: string;
  intervalMs: number;
}): AccountingSampler {
  const t0 = Date.now();
  const base = blockDeviceBytes(opts.blockDev);
  const samples: AccountingSample[] = [];
  const take = () => {
    const counters = parseCounters(readFileSync(opts.countersFile, 'utf8'));
    const dev = blockDeviceBytes(opts.blockDev);
    const now = Date.now();
    const sample = {
      tMs: now - t0,
      epochMs: now,
      issuedReadBytes: counters.readBytes,
      issuedWriteBytes: counters.writeBytes,
      reachedReadBytes: dev.readBytes - base.readBytes,
      reachedWriteBytes: dev.writeBytes - base.writeBytes,
    };
    samples.push(sample);
    return sample;
  };
  take();
  const timer = setInterval(take, opts.intervalMs);
  return {
    samples,
    stop() {
      clearInterval(timer);
      take();
      return samples;
    },
  };
}
