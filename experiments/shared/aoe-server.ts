// SPDX-License-Identifier: MIT
import { tunables } from '../../artifact/core/tunables.js';
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, open, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { $ } from 'zx';
import { diskModelScale } from '../../artifact/core/disk-profile.js';
import { hostScopedName, type RepetitionContext } from '../../artifact/core/experiment.js';
import type { DebianVariant } from '../../artifact/images/index.js';
import { guestImage, guestImageDisk } from './guest-image.js';
import { hddModelServerStatsFile } from '../../artifact/testbed/modelled-disk.js';
import { paths } from '../../artifact/core/paths.js';
import { createNetns, type NicSpec } from '../../artifact/testbed/index.js';
import { claimServerInterface } from '../../artifact/testbed/hardware/server-interface.js';
import { withModelledFile } from '../../artifact/testbed/modelled-disk.js';
import { track } from '../../artifact/testbed/reaper.js';
import { withBootServices } from '../../server/boot-services.js';
import { spawnVblade, stopProcess, type RunningServer } from '../../server/lab.js';
import { startAccountingSampler } from '../../server/sampler.js';
import type { ClientBoot, HandedFile, HandOver } from './client-pc.js';

/** The emulated client's MAC and the wire's MTU: 1500 = 2 sectors per AoE frame, as in the paper. */
const clientMac = '52:54:00:a0:e0:01';
export const wireMtu = tunables.wire.mtu;
/**
 * Sectors in one AoE frame at an MTU, computed as the hypervisor's codec does
 * (aoe_sectors_per_frame in common/aoe/aoe.h: the data starts at byte 36 of the frame). The
 * manifest records this expectation; the Fig. 8 parser reads the hypervisor's own figure.
 */
export const aoeSectorsPerFrame = (mtu: number) => Math.floor((mtu - 36) / 512);
/**
 * The hypervisor's options: find the target by broadcast, frames sized to the wire's MTU, and
 * hypercalls from user space (the guest's Fig. 9 tool resets and prints the AoE statistics).
 */
export const hypervisorOptions = (mtu: number) => `aoe=auto mtu=${mtu} hypercalls=any`;
/** The wire's MTU on this testbed: the hardware description's, or the emulated wire's. */
const mtuOf = (ctx: RepetitionContext) =>
  ctx.testbed.kind === 'hardware' ? ctx.testbed.description.server.mtu : wireMtu;
/**
 * Beyond the paper (the jumbo rows): tap, server and hypervisor at a 9000-byte MTU, 17 sectors per
 * frame instead of 2. Only the emulated testbed sets its wire's MTU per configuration.
 */
export const jumboMtu = tunables.wire.jumboMtu;
/** vblade's advertised buffer count (artifact/core/tunables.ts). */
export const serverBuffers = tunables.aoeServer.buffers;
/** Server accounting (Figs 6, 7): the patched vblade's counters file and the sampler's output, in the raw folder. */
export const serverCountersFile = 'vblade.counters';
export const serverAccountingFile = 'server-accounting.jsonl';
const samplingIntervalMs = 500;

/**
 * The wire a served disk is reachable on: the namespace holding the server's interface (the tap of
 * the emulated client, or the NIC a hardware testbed's client is wired to) and the emulated NIC.
 */
export interface AoeWire {
  netns: string;
  ifname: string;
  /** The emulated client's NIC on the tap; absent on a hardware testbed. */
  nic?: NicSpec;
  /** Size of the exported disk. */
  sizeBytes: number;
  /** Hardware testbed: writes files (benchmark jobs) into the served image (see writeIntoServedDisk). */
  handOver?: HandOver;
}

/** What a network-booting client gets from its wire: the emulated NIC, or on hardware the wire's end and the job hand-over. */
function networkClient(wire: AoeWire): ClientBoot {
  return {
    netns: wire.netns,
    nics: wire.nic === undefined ? [] : [wire.nic],
    ...(wire.handOver === undefined
      ? {}
      : { wire: { netns: wire.netns, ifname: wire.ifname }, handOver: wire.handOver }),
  };
}

/** Which AoE server serves the disk: the patched vblade (the paper's), or our parallel server. */
export type AoeServerProgram = 'vblade' | 'aoe-parallel';

/** How a configuration's server runs: the wire's MTU (jumbo rows) and the program. */
export interface AoeServerOptions {
  mtu?: number;
  program?: AoeServerProgram;
}

/** What the server exports: a scratch copy of a Debian image (network boot), or an empty disk. */
export type ServedDisk = { kind: 'image'; variant: DebianVariant } | { kind: 'blank'; sizeBytes: number };

/**
 * The paper's network boot: the patched vblade exports a scratch copy of the stock image, and the
 * client PC boots the hypervisor, which finds the target and serves the BIOS's drive 0x80 from it.
 * The client has a placeholder disk of the image's size so the BIOS enumerates drive 0x80 at POST.
 */
export async function withAoeServer(
  ctx: RepetitionContext,
  cache: 'on' | 'off',
  body: (boot: ClientBoot) => Promise<void>,
  options: AoeServerOptions = {},
): Promise<void> {
  const mtu = options.mtu ?? mtuOf(ctx);
  const program = options.program ?? 'vblade';
  // A real PC cannot be handed a kernel the way QEMU's -kernel does: the hypervisor comes by PXE.
  if (ctx.testbed.kind === 'hardware') return withPxeNetworkBoot(ctx, cache, body, program);
  await withAoeTarget(
    ctx,
    cache,
    { kind: 'image', variant: 'stock' },
    (wire) =>
      body({
        ...networkClient(wire),
        disk: { kind: 'placeholder', sizeBytes: wire.sizeBytes },
        kernel: paths.vmmElf,
        cpuNeeds: 'svm',
        append: hypervisorOptions(mtu),
      }),
    mtu,
    program,
  );
}

/** dnsmasq's role on the wire: the described one on a hardware testbed, the only DHCP server on the emulated one. */
const bootMode = (ctx: RepetitionContext) =>
  ctx.testbed.kind === 'hardware' ? ctx.testbed.description.server.bootMode : 'dhcp';

/**
 * The paper's section 4.7: nothing on the client. As withAoeServer, but the client has no -kernel:
 * its e1000 option ROM (iPXE) PXE-boots, dnsmasq in the namespace hands it DHCP and TFTP, and the
 * generated iPXE script loads the hypervisor with the same options (server/boot-services.ts).
 * The dnsmasq log (with host times) stays in the raw folder.
 */
export async function withPxeNetworkBoot(
  ctx: RepetitionContext,
  cache: 'on' | 'off',
  body: (boot: ClientBoot) => Promise<void>,
  program: AoeServerProgram = 'vblade',
): Promise<void> {
  await withAoeTarget(
    ctx,
    cache,
    { kind: 'image', variant: 'stock' },
    (wire) =>
      withBootServices(
        {
          netns: wire.netns,
          ifname: wire.ifname,
          mode: bootMode(ctx),
          program: { kind: 'multiboot', image: paths.vmmElf, options: hypervisorOptions(mtuOf(ctx)) },
          logDir: ctx.rawDir,
        },
        () =>
          body({
            ...networkClient(wire),
            disk: { kind: 'placeholder', sizeBytes: wire.sizeBytes },
            bootFrom: 'network',
            cpuNeeds: 'svm',
          }),
      ),
    mtuOf(ctx),
    program,
  );
}

/**
 * The alternative users would pick instead of a hypervisor: iPXE's `sanboot` over AoE. As
 * withPxeNetworkBoot, but the script boots the target itself (iPXE hooks it in as the BIOS's drive
 * 0x80) and the served image is the aoe-root variant, whose initramfs reaches its root through the
 * guest's own Linux aoe initiator. The client has no disk at all.
 */
export async function withIpxeSanboot(
  ctx: RepetitionContext,
  cache: 'on' | 'off',
  body: (boot: ClientBoot) => Promise<void>,
): Promise<void> {
  await withAoeTarget(ctx, cache, { kind: 'image', variant: 'aoe-root' }, (wire) =>
    withBootServices(
      {
        netns: wire.netns,
        ifname: wire.ifname,
        mode: bootMode(ctx),
        program: { kind: 'sanboot-aoe', ...servedTarget },
        logDir: ctx.rawDir,
      },
      () => body({ ...networkClient(wire), bootFrom: 'network' }),
    ),
  );
}

/** Room for the full fio test file (1000 MiB) and ext4's own blocks; sparse until written. */
const guestAoeDiskBytes = 2 * 1024 ** 3;

/**
 * The comparison beyond the paper: the client boots its local disk without our hypervisor, its
 * e1000 on the same wire, and the guest's own Linux AoE initiator uses an empty disk the server
 * exports (the guest job formats and mounts it: see guest/netboot-bench/aoe_disk.py).
 */
export async function withGuestAoeInitiator(
  ctx: RepetitionContext,
  cache: 'on' | 'off',
  body: (boot: ClientBoot) => Promise<void>,
): Promise<void> {
  await withAoeTarget(ctx, cache, { kind: 'blank', sizeBytes: guestAoeDiskBytes }, (wire) =>
    body({ ...networkClient(wire), disk: guestImageDisk(ctx) }),
  );
}

/** The served disk's AoE address (vblade's shelf and slot below). */
export const servedTarget = { shelf: 0, slot: 1 } as const;

/**
 * Serves a disk with the patched vblade as e0.1 on a tap device in a private network namespace.
 *
 * The server's "disk" is a loop device over a scratch file, in direct-I/O mode: the loop device's
 * own page cache is then the server's only cache (on: vblade's buffered I/O through it; off: vblade
 * -d, O_DIRECT), and /sys/block/loopN/stat counts exactly what reached the disk. With the cache on,
 * the whole disk is in that cache before the client starts, as on a server that has served this
 * image before (the paper's cache-on boots are faster than the local disk, which only a warm cache
 * explains). The patched vblade's counters (-a) say what the client issued; both are sampled every
 * 500 ms into the raw folder (Figs 6 and 7). Everything is undone afterwards, also on failure.
 */
export async function withAoeTarget(
  ctx: RepetitionContext,
  cache: 'on' | 'off',
  disk: ServedDisk,
  body: (wire: AoeWire) => Promise<void>,
  mtu: number = mtuOf(ctx),
  program: AoeServerProgram = 'vblade',
): Promise<void> {
  await withServedLoopDevice(ctx, cache, disk, async (loop, sizeBytes) => {
    const hardware = ctx.testbed.kind === 'hardware' ? ctx.testbed.description : undefined;
    const netns = await createNetns(hostScopedName('aoe', ctx), {
      mtu,
      taps: hardware === undefined ? ['tap0'] : [],
    });
    try {
      if (hardware === undefined) {
        const wire: AoeWire = {
          netns: netns.name,
          ifname: netns.taps[0]!,
          nic: { kind: 'tap', tap: netns.taps[0]!, mac: clientMac, model: 'e1000' },
          sizeBytes,
        };
        await serve(ctx, cache, program, loop, wire, body);
      } else {
        const release = await claimServerInterface(hardware.server.interface, netns.name, hardware.server.mtu);
        try {
          const handOver: HandOver = (files) => writeIntoServedDisk(ctx, loop, cache, files);
          await serve(
            ctx,
            cache,
            program,
            loop,
            { netns: netns.name, ifname: hardware.server.interface, sizeBytes, handOver },
            body,
          );
        } finally {
          await release();
        }
      }
    } finally {
      await netns.destroy();
    }
  });
}

/**
 * The server's disk: a loop device (direct I/O) over a scratch file holding `disk`, its cache filled
 * when the cache is on, held open for `body` (Linux drops a block device's page cache when its last
 * opener closes it). The time each step took goes to the session log.
 */
export async function withServedLoopDevice(
  ctx: RepetitionContext,
  cache: 'on' | 'off',
  disk: ServedDisk,
  body: (loop: string, sizeBytes: number) => Promise<void>,
): Promise<void> {
  const scratchDir = path.join(paths.cache, 'scratch');
  const scratch = path.join(scratchDir, `${ctx.experimentId}-${ctx.configuration}-rep${ctx.repetition}.img`);
  await mkdir(scratchDir, { recursive: true });
  const untrackScratch = track('file', scratch);
  const steps = stepTimes();
  try {
    // Cache on (emulated disks): the image is written through the loop device below, which fills
    // its cache as it goes, instead of being copied and then read back in through the loop device
    // (measured here: 3.8-4.1 s against 4.9-10.9 s for the 2 GB-allocated image).
    let fillThroughLoop: string | undefined;
    if (disk.kind === 'blank') await $`truncate -s ${disk.sizeBytes} ${scratch}`.quiet();
    else if (cache === 'on' && diskModelScale(ctx) === undefined) {
      fillThroughLoop = guestImage(ctx, disk.variant).path;
      await $`truncate -s ${(await stat(fillThroughLoop)).size} ${scratch}`.quiet();
    } else {
      ctx.progress(`copying the ${disk.variant} image for the server`);
      await $`cp --sparse=always ${guestImage(ctx, disk.variant).path} ${scratch}`.quiet();
      steps.lap('copy');
    }
    const sizeBytes = (await stat(scratch)).size;
    await withServerBacking(ctx, scratch, async (backing) => {
      const loop = (await $`losetup -f --show --direct-io=on ${backing}`.quiet()).stdout.trim();
      const untrackLoop = track('loopDevice', loop);
      try {
        const directIo = readFileSync(`/sys/block/${path.basename(loop)}/loop/dio`, 'utf8').trim() === '1';
        const holder = await open(loop, 'r');
        try {
          if (fillThroughLoop !== undefined) {
            ctx.progress('writing the image into the server disk and its cache');
            // conv=sparse leaves the image's holes unwritten; fsync writes the data back but keeps it cached.
            await $`dd if=${fillThroughLoop} of=${loop} bs=1M conv=sparse,fsync status=none`.quiet();
            steps.lap('copy through the cache');
          }
          if (cache === 'on') {
            // Reads what is not cached yet (the holes, or everything after a plain copy).
            await warmServerCache(ctx, loop, diskModelScale(ctx) === undefined ? undefined : scratch);
            steps.lap('warm');
          }
          ctx.log(
            `server disk ${loop} over ${backing}, loop direct I/O ${directIo ? 'on' : 'off (the backing file system refused it)'}; ready in ${steps.summary()}`,
          );
          await body(loop, sizeBytes);
        } finally {
          await holder.close();
        }
      } finally {
        await $`losetup -d ${loop}`.quiet();
        untrackLoop();
      }
    });
  } finally {
    await rm(scratch, { force: true });
    untrackScratch();
  }
}

/** Times consecutive steps for the log: lap(name) closes a step, summary() lists them ("1.9 s: copy 1.1 s, warm 0.8 s"). */
function stepTimes() {
  const started = performance.now();
  let last = started;
  const laps: string[] = [];
  return {
    lap(name: string) {
      const now = performance.now();
      laps.push(`${name} ${((now - last) / 1000).toFixed(1)} s`);
      last = now;
    },
    summary: () => `${((performance.now() - started) / 1000).toFixed(1)} s${laps.length ? `: ${laps.join(', ')}` : ''}`,
  };
}

/**
 * The file the server's loop device reads: the scratch copy itself, or with --profile hdd-2011
 * the same copy behind the hard disk model (the paper's server had the client's drive), so
 * cache-off reads and the write-back of every write reach a modelled disk. The model's counters
 * go to the raw folder.
 */
function withServerBacking(ctx: RepetitionContext, scratch: string, body: (file: string) => Promise<void>) {
  const scale = diskModelScale(ctx);
  if (scale === undefined) return body(scratch);
  const statsFile = path.join(ctx.rawDir, hddModelServerStatsFile);
  return withModelledFile(
    { kind: 'modelled', path: scratch, scale, writeCache: true, keepWrites: true, statsFile },
    body,
  );
}

/**
 * Server cache on: the served disk or image file is read once, so the server answers from RAM.
 * With `onlyDataOf` (the file behind a disk on the hard disk model) only the ranges of that file
 * that hold data are read: through the modelled drive, the holes of a 4 GiB image alone would
 * take it about 90 s at 46 MB/s. Assumed, not measured: a guest rarely reads blocks its file
 * system never wrote, so those few reads reach the modelled drive.
 */
export async function warmServerCache(ctx: RepetitionContext, disk: string, onlyDataOf?: string): Promise<void> {
  ctx.progress('warming the server cache');
  if (onlyDataOf === undefined) {
    await $`dd if=${disk} of=/dev/null bs=1M status=none`.quiet();
    return;
  }
  const map = JSON.parse((await $`qemu-img map --output=json -f raw ${onlyDataOf}`.quiet()).stdout) as {
    start: number;
    length: number;
    data: boolean;
  }[];
  const handle = await open(disk, 'r');
  try {
    const buffer = Buffer.alloc(4 << 20);
    for (const range of map.filter((r) => r.data))
      for (let at = range.start; at < range.start + range.length; at += buffer.length)
        await handle.read(buffer, 0, Math.min(buffer.length, range.start + range.length - at), at);
  } finally {
    await handle.close();
  }
}

/**
 * Hardware testbed: a real PC has no fw_cfg, so files for the guest (the session's jobs) go into
 * the served image's root file system before power-on, each at its `guestPath`. They are written
 * through the served loop device itself (a mount at the partition's offset), so vblade's buffered
 * reads see them; the device's cache is then written back and dropped, and warmed again when the
 * cache is on.
 */
async function writeIntoServedDisk(
  ctx: RepetitionContext,
  loop: string,
  cache: 'on' | 'off',
  files: readonly HandedFile[],
): Promise<void> {
  const table = JSON.parse((await $`sfdisk -J ${loop}`.quiet()).stdout) as {
    partitiontable: { partitions: { start: number }[] };
  };
  const root = table.partitiontable.partitions[0];
  if (root === undefined) throw new Error(`the served image on ${loop} has no partition to put the session's jobs in`);
  const mountPoint = await mkdtemp(path.join(os.tmpdir(), 'served-root-'));
  try {
    await $`mount -o offset=${root.start * 512} ${loop} ${mountPoint}`.quiet();
    const untrackMount = track('mount', mountPoint);
    try {
      for (const file of files) {
        const target = path.join(mountPoint, file.guestPath);
        await mkdir(path.dirname(target), { recursive: true });
        await copyFile(file.source, target);
      }
    } finally {
      await $`umount ${mountPoint}`.quiet();
      untrackMount();
    }
  } finally {
    await rm(mountPoint, { recursive: true, force: true });
  }
  await $`blockdev --flushbufs ${loop}`.quiet();
  ctx.log(`written into the served image: ${files.map((f) => f.guestPath).join(', ')}`);
  if (cache === 'on') await warmServerCache(ctx, loop);
}

/** Either server's options for a served disk: its buffer count, and O_DIRECT (-d) with the cache off. */
export const servingFlags = (cache: 'on' | 'off') => ['-b', String(serverBuffers), ...(cache === 'off' ? ['-d'] : [])];

/**
 * Starts `program` as e0.1 with `flags`, which must include `-a COUNTERS`: the server writes its
 * counters file once it has opened the disk, which is when it is ready. Logs its command line.
 */
export async function startAoeServer(
  ctx: Pick<RepetitionContext, 'log'>,
  program: AoeServerProgram,
  where: { netns: string; ifname: string; image: string },
  flags: readonly string[],
): Promise<RunningServer> {
  const counters = flags[flags.indexOf('-a') + 1];
  if (!flags.includes('-a') || counters === undefined) throw new Error('startAoeServer needs -a COUNTERS in flags');
  const server = spawnVblade({
    ...where,
    ...servedTarget,
    flags: [...flags],
    binary: program === 'vblade' ? paths.vblade : paths.aoeParallel,
  });
  ctx.log(
    `${program} ${flags.join(' ')} e${servedTarget.shelf}.${servedTarget.slot} on ${where.netns}/${where.ifname}: ${where.image}`,
  );
  for (let waited = 0; !existsSync(counters); waited += 50) {
    if (!server.alive() || waited > 10_000) {
      await stopProcess(server.process);
      throw new Error(`${program} did not start: ${server.output().trim() || 'no output'}`);
    }
    await sleep(50);
  }
  return server;
}

async function serve(
  ctx: RepetitionContext,
  cache: 'on' | 'off',
  program: AoeServerProgram,
  loop: string,
  wire: AoeWire,
  body: (wire: AoeWire) => Promise<void>,
): Promise<void> {
  const counters = path.join(ctx.rawDir, serverCountersFile);
  const flags = [...servingFlags(cache), '-a', counters];
  // aoe-parallel takes vblade's options, and -b is also its concurrency
  const server = await startAoeServer(ctx, program, { netns: wire.netns, ifname: wire.ifname, image: loop }, flags);
  try {
    const sampler = startAccountingSampler({ countersFile: counters, blockDev: loop, intervalMs: samplingIntervalMs });
    try {
      await body(wire);
    } finally {
      const samples = sampler.stop();
      await writeFile(
        path.join(ctx.rawDir, serverAccountingFile),
        samples.map((s) => JSON.stringify(s)).join('\n') + '\n',
      );
    }
  } finally {
    await stopProcess(server.process);
    await writeFile(path.join(ctx.rawDir, `${program}.log`), server.output());
  }
}
