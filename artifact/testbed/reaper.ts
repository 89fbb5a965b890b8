import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';

/**
 * Last-resort cleanup of what the testbed started (QEMU processes, network namespaces, loop
 * devices and scratch files of served disks), run when this Node process exits or is interrupted,
 * so a failed test or an interrupted run never leaves them behind.
 * QEMU is additionally started with PR_SET_PDEATHSIG (setpriv), which covers a SIGKILL of Node.
 */
const pids = new Set<number>();
const namespaces = new Set<string>();
const loopDevices = new Set<string>();
const scratchFiles = new Set<string>();
let installed = false;

export function trackPid(pid: number): () => void {
  install();
  pids.add(pid);
  return () => pids.delete(pid);
}

export function trackNamespace(name: string): () => void {
  install();
  namespaces.add(name);
  return () => namespaces.delete(name);
}

export function trackLoopDevice(device: string): () => void {
  install();
  loopDevices.add(device);
  return () => loopDevices.delete(device);
}

export function trackScratchFile(file: string): () => void {
  install();
  scratchFiles.add(file);
  return () => scratchFiles.delete(file);
}

function reapAll(): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  pids.clear();
  for (const name of namespaces) {
    try {
      execFileSync('ip', ['netns', 'del', name], { stdio: 'ignore' });
    } catch {
      // already gone
    }
  }
  namespaces.clear();
  // After the processes: a loop device cannot be detached while vblade holds it open.
  for (const device of loopDevices) {
    try {
      execFileSync('losetup', ['-d', device], { stdio: 'ignore' });
    } catch {
      // already detached
    }
  }
  loopDevices.clear();
  for (const file of scratchFiles) rmSync(file, { force: true });
  scratchFiles.clear();
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', reapAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      reapAll();
      process.kill(process.pid, signal);
    });
  }
}
