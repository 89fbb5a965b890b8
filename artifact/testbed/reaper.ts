import { execFileSync } from 'node:child_process';

/**
 * Last-resort cleanup of what the testbed started (QEMU processes, network namespaces), run when
 * this Node process exits or is interrupted, so a failed test never leaves them behind.
 * QEMU is additionally started with PR_SET_PDEATHSIG (setpriv), which covers a SIGKILL of Node.
 */
const pids = new Set<number>();
const namespaces = new Set<string>();
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
