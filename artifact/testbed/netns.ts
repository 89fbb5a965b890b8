// SPDX-License-Identifier: MIT
import { $ } from 'zx';
import { track } from './reaper.js';

/** A named network namespace holding tap devices; QEMU and servers (vblade) run inside it. */
export interface Netns {
  name: string;
  taps: string[];
  /** argv prefix that runs a command inside the namespace. */
  execPrefix: string[];
  /** Runs a command inside the namespace and returns its stdout; throws with stderr on failure. */
  run(command: string[]): Promise<string>;
  destroy(): Promise<void>;
}

export interface NetnsOptions {
  /** Tap devices to create inside, brought up (default ['tap0']). */
  taps?: string[];
  mtu?: number;
  /** A bridge of this name joining the taps: several PCs on one wire, a server listening on the bridge. */
  bridge?: string;
}

export async function createNetns(name: string, options: NetnsOptions = {}): Promise<Netns> {
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(name))
    throw new Error(`netns name "${name}" must be 1-32 letters, digits, '_' or '-'`);
  const existing = (await $`ip netns list`.quiet()).stdout;
  if (existing.split('\n').some((line) => line.split(' ')[0] === name)) {
    throw new Error(
      `network namespace "${name}" already exists; delete it with "ip netns del ${name}" or pick another name`,
    );
  }
  const taps = options.taps ?? ['tap0'];
  await $`ip netns add ${name}`.quiet();
  const untrack = track('namespace', name);
  const destroy = async () => {
    await $`ip netns del ${name}`.quiet().nothrow();
    untrack();
  };
  try {
    await $`ip -n ${name} link set lo up`.quiet();
    for (const tap of taps) {
      await $`ip -n ${name} tuntap add dev ${tap} mode tap`.quiet();
      if (options.mtu !== undefined) await $`ip -n ${name} link set ${tap} mtu ${options.mtu}`.quiet();
      await $`ip -n ${name} link set ${tap} up`.quiet();
    }
    if (options.bridge !== undefined) {
      await $`ip -n ${name} link add ${options.bridge} type bridge`.quiet();
      for (const tap of taps) await $`ip -n ${name} link set ${tap} master ${options.bridge}`.quiet();
      await $`ip -n ${name} link set ${options.bridge} up`.quiet();
    }
  } catch (error) {
    await destroy();
    throw error;
  }
  const execPrefix = ['ip', 'netns', 'exec', name];
  return {
    name,
    taps,
    execPrefix,
    run: async (command) => (await $`${[...execPrefix, ...command]}`.quiet()).stdout,
    destroy,
  };
}
