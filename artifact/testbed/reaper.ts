// SPDX-License-Identifier: MIT
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';

/**
 * Last-resort cleanup of what the testbed started or made (processes, mounts, network namespaces,
 * loop devices, scratch files), run when this Node process exits or is interrupted, so a failed
 * test or an interrupted run never leaves them behind. QEMU is additionally started with
 * PR_SET_PDEATHSIG (setpriv), which covers a SIGKILL of Node.
 */
const undo = {
  pid: (pid: string) => process.kill(Number(pid), 'SIGKILL'),
  mount: (target: string) => execFileSync('umount', ['--lazy', target], { stdio: 'ignore' }),
  // Deleting a namespace also returns a physical NIC claimed into it to the host's namespace.
  namespace: (name: string) => execFileSync('ip', ['netns', 'del', name], { stdio: 'ignore' }),
  // After the processes and mounts: a loop device cannot be detached while vblade holds it open.
  loopDevice: (device: string) => execFileSync('losetup', ['-d', device], { stdio: 'ignore' }),
  // A scratch file, or a scratch folder (an NFS export).
  file: (file: string) => rmSync(file, { force: true, recursive: true }),
} as const;
export type TrackedKind = keyof typeof undo;

/** Reaped in this order (the object's key order above). */
const tracked = new Map<TrackedKind, Set<string>>(
  (Object.keys(undo) as TrackedKind[]).map((kind) => [kind, new Set()]),
);
let installed = false;

/** Registers something to undo if this process ends before the returned function is called. */
export function track(kind: TrackedKind, id: string | number): () => void {
  install();
  const set = tracked.get(kind)!;
  set.add(String(id));
  return () => set.delete(String(id));
}

function reapAll(): void {
  for (const [kind, set] of tracked) {
    for (const id of set) {
      try {
        undo[kind](id);
      } catch {
        // already gone
      }
    }
    set.clear();
  }
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
