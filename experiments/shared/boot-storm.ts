// SPDX-License-Identifier: MIT
/**
 * The boot storm (issue 21, beyond the paper's 6): N clients booting at once from one server.
 * One repetition of a (server, cache) configuration:
 *  1. a real emulated PC network-boots through our hypervisor to its login prompt, alone, with the
 *     server tracing every request (-t); the trace becomes the boot's request stream
 *     (server/boot-stream.ts) and the hypervisor's own statistics give the boot's disk time;
 *  2. with aoe-parallel, two real PCs boot at once (each its own overlay, -C): the N = 2 check;
 *  3. N = 1, 2, 4, ..., 64 host-side initiators replay that stream at once, each with its own MAC
 *     and, from aoe-parallel, its own fresh overlay (server/storm.ts).
 * vblade has no per-client overlays, so two real PCs would mount one ext4 read-write at once:
 * its rows have no real N = 2 boot; its replays share the image (written data is never read back
 * by a file system). Raw files: real-n<N>/ (consoles, server log, trace gzipped), boot-stream.txt,
 * replay-n<N>.json.
 */
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { mean as mathMean } from 'mathjs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  hostScopedName,
  type MeasurementWithoutRepetition,
  type MetricInfo,
  type RepetitionContext,
} from '../../artifact/core/experiment.js';
import { runSize, type RunSize } from '../../artifact/core/options.js';
import { paths } from '../../artifact/core/paths.js';
import { createNetns, runInShell, startMachine, type Machine } from '../../artifact/testbed/index.js';
import { parseTrace } from '../../server/accounting.js';
import { formatStream, streamFromTrace } from '../../server/boot-stream.js';
import { stopProcess } from '../../server/lab.js';
import { runReplayStorm, type StormResult } from '../../server/storm.js';
import {
  hypervisorOptions,
  serverBuffers,
  servingFlags,
  startAoeServer,
  wireMtu,
  withServedLoopDevice,
  type AoeServerProgram,
} from './aoe-server.js';
import { guestHypercall } from './guest-hypercall.js';
import { parseAoeStatsBlocks, type HypervisorAoeStats } from './hypervisor-aoe-stats.js';

/** How many clients boot at once, per run size (the issue's 1, 2, 4, ..., 64). */
export const stormSizes: Record<RunSize, readonly number[]> = {
  full: [1, 2, 4, 8, 16, 32, 64],
  quick: [1, 2, 4, 8, 16, 32, 64],
  // the smoke run checks the whole chain once: one real boot, one replay
  smoke: [1],
};

/**
 * The replaying initiators' options: the hypervisor's window (the server's buffer count, as
 * vmm/src/aoe/aoe_client.c takes it), and patience under load: 12 retransmissions of a frame,
 * its timer doubling from 200 ms, before a client gives up (a booting PC would wait longer still).
 */
export const replayOptions = ['--window', String(serverBuffers), '--retries', '12'];

export const bootStormMetrics = {
  'client-disk-time': {
    label: 'Per-client boot-disk time (replays; time inside disk commands)',
    unit: 's',
    better: 'lower',
  },
  'server-throughput': { label: 'Server throughput during the storm', unit: 'MB/s', better: 'higher' },
  'storm-span': { label: 'Storm duration (first start to last client done)', unit: 's', better: 'lower' },
  'failed-clients': { label: 'Replaying clients that failed', unit: 'clients', better: 'lower' },
  'real-disk-time': {
    label: "Per-client boot-disk time of real PCs (hypervisor's count, to login)",
    unit: 's',
    better: 'lower',
  },
  'real-login': { label: 'Real PCs: power-on to login', unit: 's', better: 'lower' },
  // The replay's validation against the real PCs at N = 1 and 2 (a ratio of 1 = the same).
  'replay-vs-real-disk': { label: "Replays' disk time / real PCs', same N", unit: 'ratio', better: 'higher' },
  'replay-vs-real-span': {
    label: "Replays' span (first command to last) / real PCs' power-on to login, same N",
    unit: 'ratio',
    better: 'higher',
  },
  'stream-commands': { label: "The recorded boot's data commands", unit: 'commands', better: 'lower' },
} as const satisfies Record<string, MetricInfo>;

const loginTimeoutMs = 15 * 60_000;
const streamFile = 'boot-stream.txt';
const realDir = (n: number) => `real-n${n}`;
const replayFile = (n: number) => `replay-n${n}.json`;
/** The real PCs' MACs: QEMU's prefix, distinct from the replaying initiators' (server/storm.ts). */
const realMac = (index: number) => `52:54:00:a0:e1:${(index + 1).toString(16).padStart(2, '0')}`;
const realName = (index: number) => `pc${index + 1}`;

/** One repetition of a boot-storm configuration (see the module comment). */
export async function runBootStorm(
  ctx: RepetitionContext,
  program: AoeServerProgram,
  cache: 'on' | 'off',
): Promise<void> {
  const sizes = stormSizes[runSize(ctx.options)];
  await withServedLoopDevice(ctx, cache, { kind: 'image', variant: 'stock' }, async (loop, sizeBytes) => {
    // Fresh per-client overlays at each start (every storm is a boot of N fresh clients), in a
    // scratch folder: 64 overlays hold hundreds of MiB nobody reads afterwards.
    const scratch = await mkdtemp(path.join(paths.cache, 'scratch', 'storm-overlays-'));
    const serverFlags = [...servingFlags(cache), ...(program === 'aoe-parallel' ? ['-C', scratch] : [])];
    try {
      const realCounts = program === 'aoe-parallel' && sizes.includes(2) ? [1, 2] : [1];
      for (const count of realCounts) {
        const dir = path.join(ctx.rawDir, realDir(count));
        if (existsSync(path.join(dir, 'done'))) continue; // resumed: this part ran
        await mkdir(dir, { recursive: true });
        ctx.progress(`${count} real PC${count > 1 ? 's' : ''} booting to login`);
        await bootRealClients(ctx, program, loop, sizeBytes, count, dir, serverFlags);
        const traceFile = path.join(dir, 'server.trace');
        const trace = await readFile(traceFile);
        if (count === 1)
          await writeFile(
            path.join(ctx.rawDir, streamFile),
            formatStream(streamFromTrace(parseTrace(trace.toString('utf8')))),
          );
        // kept for a later look (4-8 MB of text per boot; a tenth of it compressed)
        await writeFile(`${traceFile}.gz`, gzipSync(trace));
        await rm(traceFile);
        await writeFile(path.join(dir, 'done'), '');
      }
      for (const clients of sizes) {
        const out = path.join(ctx.rawDir, replayFile(clients));
        if (existsSync(out)) continue;
        ctx.progress(`${clients} replaying client${clients > 1 ? 's' : ''}`);
        const result = await runReplayStorm({
          labName: hostScopedName(`storm${clients}`, ctx),
          binary: program === 'vblade' ? paths.vblade : paths.aoeParallel,
          flags: serverFlags,
          image: loop,
          streamFile: path.join(ctx.rawDir, streamFile),
          clients,
          probeArgs: replayOptions,
        });
        const failed = result.clients.filter((c) => !c.ok);
        ctx.log(
          `${clients} replays: ${(result.wallUs / 1e6).toFixed(1)} s${failed.length ? `, ${failed.length} failed: ${failed[0]!.error}` : ''}`,
        );
        await writeFile(out, JSON.stringify(result, null, 2) + '\n');
      }
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  });
}

/**
 * `count` emulated PCs on one bridge boot through the hypervisor from one server to login; then
 * each has its hypervisor print its AoE statistics (the disk time) and is switched off.
 */
async function bootRealClients(
  ctx: RepetitionContext,
  program: AoeServerProgram,
  loop: string,
  sizeBytes: number,
  count: number,
  dir: string,
  flags: string[],
): Promise<void> {
  const taps = Array.from({ length: count }, (_, i) => `tap${i}`);
  const netns = await createNetns(hostScopedName(`storm-real${count}`, ctx), { taps, bridge: 'br0' });
  try {
    const server = await startAoeServer(ctx, program, { netns: netns.name, ifname: 'br0', image: loop }, [
      ...flags,
      '-a',
      path.join(dir, 'server.counters'),
      '-t',
      path.join(dir, 'server.trace'),
    ]);
    const machines: Machine[] = [];
    try {
      for (const [i, tap] of taps.entries())
        machines.push(
          await startMachine({
            name: realName(i),
            logDir: dir,
            accel: 'auto',
            kernel: paths.vmmElf,
            cpuNeeds: 'svm',
            append: hypervisorOptions(wireMtu),
            disks: [{ kind: 'placeholder', sizeBytes }],
            netns: netns.name,
            nics: [{ kind: 'tap', tap, mac: realMac(i), model: 'e1000' }],
            ...(ctx.lane === undefined ? {} : { cpuAffinity: ctx.lane.cpus }),
          }),
        );
      const logins = await Promise.all(
        machines.map(async (machine) => {
          const login = await machine.consoles.com1.waitForPrompt(/login: /, loginTimeoutMs);
          await runInShell(machine.consoles.com1, guestHypercall('AOE_STATS_LOG'));
          // the block printed on this request (the boot checks printed one before)
          await machine.consoles.com2.waitFor(/aoe stats begin \(guest request\)/, 60_000);
          await machine.consoles.com2.waitFor(/aoe stats end/, 60_000);
          return login.t;
        }),
      );
      ctx.log(`${count} real PCs at login after ${logins.map((t) => (t / 1000).toFixed(1)).join(', ')} s`);
      await writeFile(path.join(dir, 'logins.json'), JSON.stringify(logins) + '\n');
    } finally {
      await Promise.all(machines.map((m) => m.kill()));
      await sleep(500); // the server writes its trace out when idle
      await stopProcess(server.process);
      await writeFile(path.join(dir, `${program}.log`), server.output());
    }
  } finally {
    await netns.destroy();
  }
}

/**
 * A real PC's time inside disk commands up to its login, as its hypervisor counted it: the
 * hypervisor's own checks before the guest starts (their block, after which it starts counting
 * from zero) and the guest's commands (the block printed at login), as the stream has both.
 */
async function realDiskSeconds(dir: string, name: string): Promise<number> {
  const blocks = parseAoeStatsBlocks(await readFile(path.join(dir, `${name}.com2.log`), 'latin1'));
  const checks = blocks.filter((b) => b.reason === 'hypervisor boot checks').at(-1);
  const guest = blocks.filter((b) => b.reason === 'guest request').at(-1);
  if (!checks || !guest)
    throw new Error(`${dir}: ${name}'s hypervisor console lacks its AoE statistics (boot checks and at login)`);
  const us = (b: HypervisorAoeStats) => (b.dataCommands.read?.totalUs ?? 0) + (b.dataCommands.write?.totalUs ?? 0);
  return (us(checks) + us(guest)) / 1e6;
}

const mean = (values: readonly number[]) => Number(mathMean([...values]));

/** The measurements of one repetition's raw folder. */
export async function parseBootStorm(rawDir: string): Promise<MeasurementWithoutRepetition[]> {
  const measurements: MeasurementWithoutRepetition[] = [];
  const stream = await readFile(path.join(rawDir, streamFile), 'utf8');
  measurements.push({
    metric: 'stream-commands',
    unit: 'commands',
    value: stream.split('\n').filter((l) => /^\d/.test(l)).length,
  });
  const real = new Map<number, { diskSeconds: number; loginSeconds: number }>();
  for (const count of [1, 2]) {
    const dir = path.join(rawDir, realDir(count));
    if (!existsSync(path.join(dir, 'done'))) continue;
    const diskSeconds: number[] = [];
    for (let i = 0; i < count; i++) diskSeconds.push(await realDiskSeconds(dir, realName(i)));
    const logins = JSON.parse(await readFile(path.join(dir, 'logins.json'), 'utf8')) as number[];
    real.set(count, { diskSeconds: mean(diskSeconds), loginSeconds: mean(logins) / 1000 });
    measurements.push(
      { metric: 'real-disk-time', unit: 's', x: count, value: mean(diskSeconds) },
      { metric: 'real-login', unit: 's', x: count, value: mean(logins) / 1000 },
    );
  }
  const replays = (await readdir(rawDir)).filter((f) => /^replay-n\d+\.json$/.test(f));
  if (replays.length === 0) throw new Error(`${rawDir}: no replay-n<N>.json: the storm's replays did not run`);
  for (const file of replays) {
    const storm = JSON.parse(await readFile(path.join(rawDir, file), 'utf8')) as StormResult;
    const clients = storm.clients;
    const n = clients.length;
    const done = clients.filter((c) => c.ok);
    const bytes = done.reduce((sum, c) => sum + (c.sectorsRead + c.sectorsWritten) * 512, 0);
    measurements.push(
      { metric: 'failed-clients', unit: 'clients', x: n, value: n - done.length },
      { metric: 'server-throughput', unit: 'MB/s', x: n, value: bytes / storm.wallUs },
      { metric: 'storm-span', unit: 's', x: n, value: storm.wallUs / 1e6 },
    );
    if (done.length === 0) continue;
    const diskTime = mean(done.map((c) => c.diskUs / 1e6));
    measurements.push({ metric: 'client-disk-time', unit: 's', x: n, value: diskTime });
    const realBoots = real.get(n);
    if (realBoots !== undefined)
      measurements.push(
        { metric: 'replay-vs-real-disk', unit: 'ratio', x: n, value: diskTime / realBoots.diskSeconds },
        {
          metric: 'replay-vs-real-span',
          unit: 'ratio',
          x: n,
          value: mean(done.map((c) => c.elapsedUs / 1e6)) / realBoots.loginSeconds,
        },
      );
  }
  return measurements;
}
