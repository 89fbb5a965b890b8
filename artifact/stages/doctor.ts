// SPDX-License-Identifier: MIT
import { execFileSync } from 'node:child_process';
import { existsSync, statfsSync } from 'node:fs';
import os from 'node:os';
import { accelerationFor, detectKvm, readHostKvm } from '../testbed/index.js';
import { repoRoot } from '../core/paths.js';

export interface DoctorCheck {
  name: string;
  ok: boolean;
  detail: string;
  /** A failed fatal check stops `reproduce`; others are warnings. */
  fatal: boolean;
}

function commandVersion(command: string, args: string[]): string | undefined {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')[0];
  } catch {
    return undefined;
  }
}

/** What the pipeline needs from the host, with the fix for each missing piece. */
export function doctorChecks(): DoctorCheck[] {
  const nodeMajor = Number(process.versions.node.split('.')[0]);
  const qemu = commandVersion('qemu-system-x86_64', ['--version']);
  const chromium = commandVersion('/usr/bin/chromium', ['--version']);
  const host = readHostKvm();
  const kvm = detectKvm(host);
  // .cache/ may not exist yet in a fresh clone; it lives on the repository's file system.
  const fs = statfsSync(repoRoot);
  const cacheFree = (fs.bavail * fs.bsize) / 2 ** 30;
  const isRoot = process.getuid?.() === 0;
  return [
    { name: 'Node.js >= 20', ok: nodeMajor >= 20, detail: process.version, fatal: true },
    {
      name: 'QEMU (qemu-system-x86_64)',
      ok: qemu !== undefined,
      detail: qemu ?? 'missing: run bash artifact/bootstrap.sh as root',
      fatal: true,
    },
    {
      name: 'Chromium for the PDF report',
      ok: chromium !== undefined,
      detail: chromium ?? 'missing: apt-get install chromium',
      fatal: true,
    },
    {
      name: 'DejaVu fonts for PNG figures',
      ok: existsSync('/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf'),
      detail: 'fonts-dejavu-core',
      fatal: true,
    },
    {
      name: 'root (loop devices for images, network namespaces)',
      ok: isRoot,
      detail: isRoot ? 'running as root' : 'run as root: image building and tap networking need it',
      fatal: true,
    },
    {
      name: 'free space in .cache (>= 12 GiB for images)',
      ok: cacheFree >= 12,
      detail: `${cacheFree.toFixed(1)} GiB free`,
      fatal: false,
    },
    { name: 'KVM (optional: experiments use TCG without it)', ok: kvm.usable, detail: kvm.reason, fatal: false },
    // which path each kind of PC gets on this host, and why (informational)
    ...(
      [
        ['PCs without a hypervisor (local, iPXE sanboot)', 'plain'],
        ['PCs running our hypervisor (the VMM configurations)', 'svm'],
        ["the KVM + NFS baseline's host PC (runs KVM)", 'virtualization'],
      ] as const
    ).map(([name, needs]) => ({ name, ok: true, detail: accelerationFor(needs, host).reason, fatal: false })),
    {
      name: 'CPU cores (2 is enough; more shortens nothing)',
      ok: os.cpus().length >= 2,
      detail: `${os.cpus().length} cores`,
      fatal: false,
    },
  ];
}
