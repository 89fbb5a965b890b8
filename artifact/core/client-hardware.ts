// SPDX-License-Identifier: MIT
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseBenchFrames, type ClientHardware } from '../images/index.js';
import { writeManifest, type Manifest } from './manifest.js';
import type { RunLayout } from './paths.js';

/** The client's console log in a repetition's raw folder (experiments/shared/client-pc.ts names it). */
const clientConsoleLog = 'client.com1.log';

/**
 * Puts the client's hardware, as the guest payload reported it at the start of a benchmark job,
 * into the run's manifest (on a real PC nothing else can tell it). Returns a one-line summary, or
 * undefined when no job in the run reported it (a run of boot times only).
 */
export async function recordClientHardware(layout: RunLayout, manifest: Manifest): Promise<string | undefined> {
  const hardware = await firstReported(layout.raw);
  if (hardware === undefined) return undefined;
  manifest.clientHardware = hardware;
  await writeManifest(layout.manifest, manifest);
  return summarizeClientHardware(hardware);
}

export function summarizeClientHardware(hardware: ClientHardware): string {
  const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  const disks = hardware.disks.map((d) => `${d.name} ${d.model} ${gib(d.bytes)}`).join(', ') || 'no disk';
  const nics = hardware.nics.map((n) => `${n.name} ${n.pciId} (${n.driver})`).join(', ') || 'no NIC';
  return `${hardware.cpu.model} x${hardware.cpu.logicalCpus}, ${gib(hardware.memoryBytes)} RAM, ${disks}, ${nics}, ${hardware.firmware.kind} ${hardware.firmware.vendor} ${hardware.firmware.version}`;
}

/** The first client-hardware frame in the raw folders, in path order. */
async function firstReported(dir: string): Promise<ClientHardware | undefined> {
  if (!existsSync(dir)) return undefined;
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  const log = entries.find((entry) => entry.isFile() && entry.name === clientConsoleLog);
  if (log !== undefined) {
    const { frames } = parseBenchFrames(await readFile(path.join(dir, log.name), 'latin1'));
    const reported = frames.find((frame) => frame.type === 'client-hardware');
    if (reported !== undefined) {
      const { type: _type, ...hardware } = reported;
      return hardware;
    }
  }
  for (const entry of entries.filter((e) => e.isDirectory())) {
    const found = await firstReported(path.join(dir, entry.name));
    if (found !== undefined) return found;
  }
  return undefined;
}
