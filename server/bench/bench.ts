// SPDX-License-Identifier: MIT
// Server benchmark: patched vblade (accounting off, counters only, counters + trace) vs Debian's
// unpatched vblade vs our parallel server (aoe-parallel, server/parallel/) on the same veth pair in a private network namespace. 1 MiB sequential and
// 4 KiB random reads and writes, server page cache on and off (O_DIRECT), MTU 1500 and 9000,
// 1/16/64 frames in flight; server CPU time per frame; the mean RTT by packet index within a
// 1 MiB read (the paper's Fig. 8, host side). Prints tables and the machine. All servers run at
// once and the probes take turns in rounds, so other load hits them alike; still compare rows
// measured together, not against other machines.
//
//   tsx server/bench/bench.ts [--quick] [--json FILE]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import {
  AoeLab,
  buildServer,
  debianVblade,
  parallelServer,
  patchedVblade,
  type ProbeResult,
  type RunningServer,
} from '../lab.js';

interface ServerKind {
  name: string;
  binary: string;
  /** Extra flags; prefix: a per-server path prefix for output files. */
  flags: (prefix: string) => string[];
}

const servers: ServerKind[] = [
  { name: 'debian', binary: debianVblade, flags: () => [] },
  { name: 'patched', binary: patchedVblade, flags: () => [] },
  { name: 'patched+counters', binary: patchedVblade, flags: (prefix) => ['-a', `${prefix}counters`] },
  {
    name: 'patched+acct',
    binary: patchedVblade,
    flags: (prefix) => ['-a', `${prefix}counters`, '-t', `${prefix}trace`],
  },
  { name: 'parallel', binary: parallelServer, flags: () => [] },
];

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const jsonIndex = args.indexOf('--json');
const jsonFile = jsonIndex >= 0 ? args[jsonIndex + 1] : undefined;
for (const [i, a] of args.entries()) {
  if (a !== '--quick' && a !== '--json' && !(i === jsonIndex + 1 && jsonIndex >= 0)) {
    console.error(`bench: unknown argument '${a}'. Usage: tsx server/bench/bench.ts [--quick] [--json FILE]`);
    process.exit(2);
  }
}

const SPAN_MIB = quick ? 128 : 512;
const ROUNDS = quick ? 3 : 5;
const RTT_REQUESTS = quick ? 10 : 50;
const workloads = [
  { name: 'seq-read-1M', op: 'read', pattern: 'seq', bs: 1 << 20, requests: quick ? 8 : 64 },
  { name: 'seq-write-1M', op: 'write', pattern: 'seq', bs: 1 << 20, requests: quick ? 8 : 64 },
  { name: 'rand-read-4K', op: 'read', pattern: 'rand', bs: 4096, requests: quick ? 200 : 2000 },
  { name: 'rand-write-4K', op: 'write', pattern: 'rand', bs: 4096, requests: quick ? 200 : 2000 },
];
const windows = [1, 16, 64];
const mtus = [1500, 9000];
const caches = [
  { name: 'on', flags: [] as string[] },
  { name: 'off', flags: ['-d'] },
];

function machine(): Record<string, string | number> {
  const cpu = os.cpus()[0]?.model ?? 'unknown';
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    // not a git checkout
  }
  return {
    cpu,
    cores: os.cpus().length,
    kernel: os.release(),
    memory_gib: Math.round(os.totalmem() / 2 ** 30),
    loadavg_1m: Number(os.loadavg()[0]!.toFixed(2)),
    date: new Date().toISOString(),
    commit,
  };
}

function eventOf(r: ProbeResult, kind: string): Record<string, number> {
  const e = r.events.find((x) => x['event'] === kind);
  if (!e || r.code !== 0) throw new Error(`aoe-probe failed (${r.code}): ${r.stderr} ${JSON.stringify(r.events)}`);
  return e as Record<string, number>;
}

interface Row {
  server: string;
  cache: string;
  mtu: number;
  workload: string;
  window: number;
  /** One value per round. */
  MBps: number[];
  retransmits: number;
}

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
    .replace(/^.*\) /, '')
    .split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14, 15 of stat)
  return ticks / 100; // USER_HZ
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Fisher-Yates with a fixed seed: the order servers are measured in changes every round. */
function shuffled<T>(xs: T[], seed: number): T[] {
  const out = [...xs];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

async function main(): Promise<void> {
  buildServer();
  const dir = mkdtempSync(join(os.tmpdir(), 'aoe-bench-'));
  const image = join(dir, 'disk.img');
  // real data, so "cache off" reads hit the disk and not a hole
  execFileSync('dd', ['if=/dev/urandom', `of=${image}`, 'bs=1M', `count=${SPAN_MIB}`, 'status=none']);
  const lab = AoeLab.create(`aoe-bench-${process.pid}`);
  const rows = new Map<string, Row>();
  const rtt: Record<string, number[][]> = {};
  /** Server CPU time per frame served, the cost measure least disturbed by other load. */
  const cpu: Record<string, { seconds: number; frames: number }> = {};
  const onSignal = () => {
    lab.close();
    rmSync(dir, { recursive: true, force: true });
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    for (const mtu of mtus) {
      lab.setMtu(mtu);
      // every server kind x cache setting runs at once (own slot, same image); probes take turns,
      // so load from other work on the machine hits all of them alike
      const targets: { kind: ServerKind; cache: (typeof caches)[number]; slot: number; server: RunningServer }[] = [];
      for (const cache of caches) {
        for (const kind of servers) {
          const slot = targets.length + 1;
          // -b 64: the advertised buffer count (and the server's socket buffer) covers a 64-frame window
          const flags = ['-b', '64', ...cache.flags, ...kind.flags(join(dir, `${kind.name}-${cache.name}-`))];
          targets.push({
            kind,
            cache,
            slot,
            server: await lab.startServer({ binary: kind.binary, image, flags, slot }),
          });
        }
      }
      for (let round = 0; round < ROUNDS; round++) {
        for (const w of workloads) {
          for (const window of windows) {
            for (const t of shuffled(targets, round * 1000 + window + w.bs)) {
              const r = await lab.probe([
                'io',
                '--target',
                `0.${t.slot}`,
                '--op',
                w.op,
                '--pattern',
                w.pattern,
                '--bs',
                String(w.bs),
                '--requests',
                String(w.requests),
                '--span',
                String(SPAN_MIB * 2048),
                '--window',
                String(window),
                '--seed',
                String(round + 7),
              ]);
              const e = eventOf(r, 'io');
              const cpuKey = `${t.kind.name}|${t.cache.name}|${mtu}`;
              cpu[cpuKey] ??= { seconds: 0, frames: 0 };
              cpu[cpuKey].frames += w.requests * Math.ceil(w.bs / 512 / e['spf']!) + e['retransmits']!;
              const key = `${t.cache.name}|${mtu}|${w.name}|${window}|${t.kind.name}`;
              const row = rows.get(key) ?? {
                server: t.kind.name,
                cache: t.cache.name,
                mtu,
                workload: w.name,
                window,
                MBps: [],
                retransmits: 0,
              };
              row.MBps.push(e['MBps']!);
              row.retransmits += e['retransmits']!;
              rows.set(key, row);
            }
          }
        }
        if (mtu !== 1500) continue;
        for (const t of shuffled(targets, round)) {
          const r = await lab.probe([
            'io',
            '--target',
            `0.${t.slot}`,
            '--op',
            'read',
            '--bs',
            String(1 << 20),
            '--requests',
            String(RTT_REQUESTS),
            '--span',
            String(SPAN_MIB * 2048),
            '--window',
            '64',
            '--rtt',
          ]);
          const e = eventOf(r, 'io');
          cpu[`${t.kind.name}|${t.cache.name}|${mtu}`]!.frames += RTT_REQUESTS * 1024 + e['retransmits']!;
          const name = `${t.kind.name}/cache-${t.cache.name}`;
          (rtt[name] ??= []).push(r.events.filter((e) => e['event'] === 'rtt').map((e) => e['mean_us'] as number));
        }
      }
      for (const t of targets) {
        cpu[`${t.kind.name}|${t.cache.name}|${mtu}`]!.seconds = cpuSeconds(t.server.process.pid!);
        await lab.stopServer(t.server);
      }
    }
  } finally {
    lab.close();
    rmSync(dir, { recursive: true, force: true });
  }
  report([...rows.values()], rtt, cpu);
}

function report(
  rows: Row[],
  rtt: Record<string, number[][]>,
  cpu: Record<string, { seconds: number; frames: number }>,
): void {
  const m = machine();
  console.log('# AoE server benchmark (server/bench/bench.ts)' + (quick ? ' --quick' : ''));
  console.log(
    `# machine: ${m['cpu']}, ${m['cores']} cores, ${m['memory_gib']} GiB, Linux ${m['kernel']}, load ${m['loadavg_1m']}, ${m['date']}, commit ${m['commit']}`,
  );
  console.log(
    `# veth in a network namespace; MB = 10^6 bytes; QD1 requests, window = frames in flight; median of ${ROUNDS} interleaved rounds (min-max)`,
  );
  console.log(
    [
      'cache',
      'mtu',
      'workload',
      'window',
      ...servers.map((s) => `${s.name} MB/s`),
      'patched/debian',
      'counters/patched',
      'acct/patched',
      'parallel/patched',
    ].join('\t'),
  );
  const groups = new Map<string, Row[]>();
  for (const r of rows) {
    const key = `${r.cache}|${r.mtu}|${r.workload}|${r.window}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const ratios: Record<string, number[]> = {
    'patched/debian': [],
    'counters/patched': [],
    'acct/patched': [],
    'parallel/patched': [],
  };
  for (const group of groups.values()) {
    const by = (name: string) => group.find((r) => r.server === name)!;
    const [debian, patched, counters, acct] = [by('debian'), by('patched'), by('patched+counters'), by('patched+acct')];
    const parallel = by('parallel');
    const cell = (r: Row) =>
      `${median(r.MBps).toFixed(1)} (${Math.min(...r.MBps).toFixed(1)}-${Math.max(...r.MBps).toFixed(1)})` +
      (r.retransmits ? ` ${r.retransmits}rtx` : '');
    const pd = median(patched.MBps) / median(debian.MBps);
    const cp = median(counters.MBps) / median(patched.MBps);
    const ap = median(acct.MBps) / median(patched.MBps);
    const pp = median(parallel.MBps) / median(patched.MBps);
    ratios['patched/debian']!.push(pd);
    ratios['counters/patched']!.push(cp);
    ratios['acct/patched']!.push(ap);
    ratios['parallel/patched']!.push(pp);
    console.log(
      [
        patched.cache,
        patched.mtu,
        patched.workload,
        patched.window,
        ...servers.map((s) => cell(by(s.name))),
        ...[pd, cp, ap, pp].map((x) => x.toFixed(2)),
      ].join('\t'),
    );
  }
  const geomean = (xs: number[]) => Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);
  for (const [name, xs] of Object.entries(ratios)) {
    console.log(`# ${name}: geometric mean of the median ratios over ${xs.length} rows = ${geomean(xs).toFixed(3)}`);
  }
  console.log(
    '\n# server CPU time (user+system) per frame served, us, over all runs above (includes the RTT runs at MTU 1500)',
  );
  console.log(['cache', 'mtu', ...servers.map((s) => s.name)].join('\t'));
  for (const cache of caches) {
    for (const mtu of mtus) {
      const cell = (name: string) => {
        const c = cpu[`${name}|${cache.name}|${mtu}`];
        return c ? ((c.seconds / c.frames) * 1e6).toFixed(2) : '-';
      };
      console.log([cache.name, mtu, ...servers.map((s) => cell(s.name))].join('\t'));
    }
  }
  console.log(
    `\n# mean RTT (us) by packet index within a 1 MiB read, MTU 1500 (1024 frames, window 64), median of ${ROUNDS} rounds`,
  );
  const indices = [0, 1, 15, 63, 255, 511, 1023];
  console.log(['server/cache', ...indices.map((i) => `#${i}`)].join('\t'));
  for (const [name, rounds] of Object.entries(rtt)) {
    console.log([name, ...indices.map((i) => median(rounds.map((r) => r[i] ?? 0)).toFixed(0))].join('\t'));
  }
  if (jsonFile) writeFileSync(jsonFile, JSON.stringify({ machine: m, quick, rounds: ROUNDS, rows, rtt, cpu }, null, 1));
}

await main();
