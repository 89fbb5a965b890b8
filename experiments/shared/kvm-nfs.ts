// SPDX-License-Identifier: MIT
// The KVM + NFS baseline (paper 5.7): the client PC boots a Debian host (the kvm-host image) from
// its own IDE disk; the host mounts the server's NFS export with the paper's options and runs the
// stock guest image from it under QEMU/KVM (guest/kvm-host/launch.py). The server is nfs-ganesha
// on the tap of a private namespace (server/nfs-server.ts), its cache warm as for the AoE runs.
import { tunables } from '../../artifact/core/tunables.js';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { $ } from 'zx';
import { hostScopedName, type RepetitionContext } from '../../artifact/core/experiment.js';
import { paths } from '../../artifact/core/paths.js';
import { createNetns } from '../../artifact/testbed/index.js';
import { track } from '../../artifact/testbed/reaper.js';
import { nfsMountOptions } from '../../server/nfs-config.js';
import { withNfsServer } from '../../server/nfs-server.js';
import { warmServerCache, wireMtu } from './aoe-server.js';
import type { ClientBoot } from './client-pc.js';
import { guestImage, guestImageDisk } from './guest-image.js';

/** The baseline's wire, inside the namespace only. */
const serverAddress = '10.79.0.1';
const hostAddress = '10.79.0.2/24';
const exportPseudo = '/guest';
const imageFile = 'disk.img';
const hostMac = '52:54:00:a0:e0:31';
/** The KVM host needs room for itself beside a guest as large as the other configurations' PC. */
export const kvmHostMemoryMiB = tunables.kvmNfs.hostMemoryMiB;
export const kvmGuestMemoryMiB = tunables.kvmNfs.guestMemoryMiB;
/**
 * The nested guest sometimes stalls right after GRUB loads its initrd: its console (the PC's COM2)
 * then stays silent until the login timeout (2 of 3 boots on 2026-12-06, 490 s and more; the host
 * fine; cause unknown). Good boots were silent at most 42 s at a time on an idle machine (the
 * 2026-12-06 reference run), 73 s (2026-12-05) and 115 s with a CI run beside (2026-11-27), all
 * before the login prompt; 300 s of silence is a stall, and the session boots again.
 */
const nestedGuestStallMs = 300_000;
/** Where the host's launcher finds its configuration (guest/kvm-host/launch.py). */
const hostConfigName = 'opt/netboot-bench/kvm-guest.json';

/** Serves a scratch copy of the stock image over NFS and boots the KVM host, which runs it. */
export async function withKvmNfs(ctx: RepetitionContext, body: (boot: ClientBoot) => Promise<void>): Promise<void> {
  const exportDir = path.join(
    paths.cache,
    'scratch',
    `${ctx.experimentId}-${ctx.configuration}-rep${ctx.repetition}-nfs`,
  );
  await mkdir(exportDir, { recursive: true });
  const untrackExport = track('file', exportDir);
  try {
    ctx.progress('copying the stock image into the NFS export');
    const image = path.join(exportDir, imageFile);
    await $`cp --sparse=always ${guestImage(ctx).path} ${image}`.quiet();
    // Server cache on, as for the AoE runs it is compared with.
    await warmServerCache(ctx, image);
    const netns = await createNetns(hostScopedName('nfs', ctx), { mtu: wireMtu });
    try {
      const tap = netns.taps[0]!;
      await netns.run(['ip', 'addr', 'add', `${serverAddress}/24`, 'dev', tap]);
      const config = path.join(ctx.rawDir, 'kvm-guest.json');
      await writeFile(
        config,
        `${JSON.stringify({ address: hostAddress, mtu: wireMtu, server: serverAddress, export: exportDir, image: imageFile, mountOptions: nfsMountOptions, guestMemoryMiB: kvmGuestMemoryMiB }, null, 2)}\n`,
      );
      ctx.log(
        `nfs-ganesha exports ${serverAddress}:${exportDir} on ${netns.name}/${tap}; mount options ${nfsMountOptions}`,
      );
      await withNfsServer({ netns: netns.name, directory: exportDir, pseudo: exportPseudo, logDir: ctx.rawDir }, () =>
        body({
          disk: guestImageDisk(ctx, 'kvm-host'),
          memoryMiB: kvmHostMemoryMiB,
          cpuNeeds: 'virtualization', // the PC runs KVM
          netns: netns.name,
          nics: [{ kind: 'tap', tap, mac: hostMac, model: 'e1000' }],
          fwCfgFiles: [{ name: hostConfigName, path: config }],
          guestConsole: 'com2',
          stallSilenceMs: nestedGuestStallMs,
        }),
      );
    } finally {
      await netns.destroy();
    }
  } finally {
    await rm(exportDir, { recursive: true, force: true });
    untrackExport();
  }
}
