// SPDX-License-Identifier: MIT
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { accelerationFor, detectKvm, readHostKvm } from '../testbed/index.js';
import { repoRoot } from './paths.js';

export const machineDescriptionSchema = z.object({
  hostname: z.string(),
  cpuModel: z.string(),
  cpuFlags: z.array(z.string()),
  cores: z.number().int(),
  memoryBytes: z.number(),
  disk: z.string(),
  kernel: z.string(),
  os: z.string(),
  qemuVersion: z.string(),
  kvm: z.object({ usable: z.boolean(), reason: z.string() }),
  acceleratorUsed: z.enum(['tcg', 'kvm']),
  /** The accelerator of PCs that run our hypervisor, and why (absent in runs made before it was recorded: as acceleratorUsed). */
  hypervisorPcs: z.object({ accel: z.enum(['tcg', 'kvm']), reason: z.string() }).optional(),
  nodeVersion: z.string(),
  git: z.object({ commit: z.string(), dirty: z.boolean() }),
  npmPackages: z.record(z.string()),
});
export type MachineDescription = z.infer<typeof machineDescriptionSchema>;

function run(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], cwd: repoRoot }).trim();
  } catch {
    return 'unavailable';
  }
}

function cpuInfo(): { model: string; flags: string[] } {
  const text = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.*)$/m.exec(text)?.[1] ?? 'unknown';
  const flags = (/^flags\s*:\s*(.*)$/m.exec(text)?.[1] ?? '').split(/\s+/).filter(Boolean);
  return { model, flags };
}

/** Installed versions of the direct npm dependencies (what actually ran, not the ranges). */
function npmPackages(): Record<string, string> {
  const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };
  const versions: Record<string, string> = {};
  for (const name of Object.keys({ ...manifest.dependencies, ...manifest.devDependencies })) {
    const file = path.join(repoRoot, 'node_modules', name, 'package.json');
    versions[name] = existsSync(file)
      ? (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version
      : 'not installed';
  }
  return versions;
}

/** Describes this host: enough to compare a run with one from another machine. */
export function describeMachine(): MachineDescription {
  const cpu = cpuInfo();
  const host = readHostKvm();
  const kvm = detectKvm(host);
  const hypervisorPcs = accelerationFor('svm', host);
  const osRelease = existsSync('/etc/os-release')
    ? (/^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? 'unknown')
    : 'unknown';
  return {
    hostname: os.hostname(),
    cpuModel: cpu.model,
    cpuFlags: cpu.flags,
    cores: os.cpus().length,
    memoryBytes: os.totalmem(),
    disk: run('sh', [
      '-c',
      `df -h --output=source,fstype,size,avail "${repoRoot}" | tail -n 1; lsblk -dno NAME,MODEL,SIZE,ROTA 2>/dev/null | head -n 4`,
    ]).replace(/\s*\n\s*/g, '; '),
    kernel: `${os.type()} ${os.release()}`,
    os: osRelease,
    qemuVersion: run('qemu-system-x86_64', ['--version']).split('\n')[0] ?? 'unavailable',
    kvm,
    // Experiments start their machines with accel 'auto': KVM only where it works for what a PC runs (kvm.ts).
    acceleratorUsed: kvm.usable ? 'kvm' : 'tcg',
    hypervisorPcs: { accel: hypervisorPcs.accel, reason: hypervisorPcs.reason },
    nodeVersion: process.version,
    git: {
      commit: run('git', ['rev-parse', 'HEAD']),
      dirty: run('git', ['status', '--porcelain', '--untracked-files=no']) !== '',
    },
    npmPackages: npmPackages(),
  };
}
