// SPDX-License-Identifier: MIT
// What the network-boot integration tests share: a private copy of the disk the server exports,
// and the client PC that boots the hypervisor with an AoE target instead of a local disk.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { MachineSpec } from '../../../artifact/testbed/index.js';
import { testLogDir, vmmImage } from './hypervisor.js';

export interface PrivateCopy {
  path: string;
  /** Deletes the copy and its folder (safe to call twice). */
  dispose: () => void;
}

/** A writable, sparse copy of `source` in its own temporary folder: the guest writes to it. */
export function privateCopy(source: string, label: string): PrivateCopy {
  const dir = mkdtempSync(path.join(os.tmpdir(), `vmm-${label}-`));
  const copy = path.join(dir, path.basename(source));
  execFileSync('cp', ['--sparse=always', source, copy]);
  return { path: copy, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A client PC that boots the hypervisor with `aoe=<shelf>.<slot>`: an e1000 on the namespace's
 * tap, and a placeholder IDE disk of the exported image's size so the BIOS enumerates drive 0x80
 * at POST. `extra` adds devices (a CD-ROM, USB disks) or overrides defaults.
 */
export function networkBootClient(
  name: string,
  target: { image: string; shelf: number; slot: number },
  wire: { netns: string; tap: string; mac: string },
  extra: Partial<MachineSpec> = {},
): MachineSpec {
  return {
    name,
    logDir: testLogDir(name),
    kernel: vmmImage,
    append: `aoe=${target.shelf}.${target.slot}`,
    disks: [{ kind: 'placeholder', sizeBytes: statSync(target.image).size }],
    netns: wire.netns,
    nics: [{ kind: 'tap', tap: wire.tap, mac: wire.mac, model: 'e1000' }],
    ...extra,
  };
}
