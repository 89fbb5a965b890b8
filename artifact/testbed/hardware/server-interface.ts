// SPDX-License-Identifier: MIT
import { $ } from 'zx';

/**
 * Moves the server's interface on the client's wire (a NIC of this host) into the run's network
 * namespace for one repetition, so that the addresses dnsmasq and vblade need exist only there and
 * nothing is sent on the host's other networks. The returned function moves it back (without
 * addresses; if this process dies instead, deleting the namespace returns a physical NIC by itself).
 */
export async function claimServerInterface(ifname: string, netns: string, mtu: number): Promise<() => Promise<void>> {
  const shown = await $`ip -j link show dev ${ifname}`.quiet().nothrow();
  if (shown.exitCode !== 0)
    throw new Error(
      `server.interface ${ifname} does not exist on this host (ip link lists the interfaces); name the NIC wired to the client`,
    );
  const routes = JSON.parse((await $`ip -j route show default`.quiet()).stdout || '[]') as { dev?: string }[];
  if (routes.some((route) => route.dev === ifname)) {
    throw new Error(
      `server.interface ${ifname} carries this host's default route: the pipeline takes the interface over for the run, so it must be a NIC dedicated to the client's wire`,
    );
  }
  await $`ip link set dev ${ifname} netns ${netns}`.quiet();
  const release = async () => void (await $`ip -n ${netns} link set dev ${ifname} netns 1`.quiet().nothrow());
  try {
    await $`ip -n ${netns} link set dev ${ifname} mtu ${mtu} up`.quiet();
  } catch (error) {
    await release();
    throw error;
  }
  return release;
}
