import { spawn, type ChildProcess } from 'node:child_process';
import type { Netns } from '../../../artifact/testbed/index.js';
import { patchedVblade } from '../../../server/lab.js';

/**
 * Exports `image` as e<shelf>.<slot> on the namespace's first tap, or on `ifname` (read-only
 * unless `writable`; `direct` turns the server cache off).
 */
export function startVblade(
  ns: Netns,
  image: string,
  shelf: number,
  slot: number,
  options: { writable?: boolean; direct?: boolean; ifname?: string } = {},
): ChildProcess {
  const flags = [...(options.writable ? [] : ['-r']), ...(options.direct ? ['-d'] : [])];
  const ifname = options.ifname ?? ns.taps[0]!;
  const child = spawn('ip', ['netns', 'exec', ns.name, patchedVblade, ...flags, String(shelf), String(slot), ifname, image], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.resume();
  child.stderr!.resume();
  return child;
}

/** Stops a child process and waits for it to exit (no-op when already gone). */
export async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}
