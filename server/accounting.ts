// SPDX-License-Identifier: MIT
// Parsers of the patched vblade's accounting outputs (formats documented at the top of acct.c,
// server/patches/0006-request-accounting.patch): the counters file (-a) and the trace (-t).

/** One snapshot of the counters file. Byte counts are what clients issued through AoE. */
export interface ServerCounters {
  timeUs: number;
  readBytes: number;
  writeBytes: number;
  readCmds: number;
  writeCmds: number;
  flushes: number;
  otherCmds: number;
  errors: number;
  /** The export's open flags, e.g. 'O_RDWR|O_DIRECT' (cache off). */
  open: string;
}

/** One ATA request from the trace. */
export interface TraceRecord {
  timeUs: number;
  command: number;
  lba: number;
  sectors: number;
  bytes: number;
  serviceNs: number;
  tag: number;
  status: number;
  error: number;
  aoeError: number;
}

export interface Trace {
  open: string;
  records: TraceRecord[];
}

const counterKeys: Record<string, keyof Omit<ServerCounters, 'open'>> = {
  time_us: 'timeUs',
  read_bytes: 'readBytes',
  write_bytes: 'writeBytes',
  read_cmds: 'readCmds',
  write_cmds: 'writeCmds',
  flushes: 'flushes',
  other_cmds: 'otherCmds',
  errors: 'errors',
};

/** Parses the one-line counters file; throws with the reason on anything else. */
export function parseCounters(text: string): ServerCounters {
  const line = text.trim();
  const fields = line.split(/\s+/);
  if (fields[0] !== 'vblade-counters' || fields[1] !== 'v1') {
    throw new Error(
      `not a vblade-counters v1 line (is the server the patched one, started with -a?): '${line.slice(0, 80)}'`,
    );
  }
  const out: Partial<ServerCounters> = {};
  for (const field of fields.slice(2)) {
    const eq = field.indexOf('=');
    const key = field.slice(0, eq);
    const value = field.slice(eq + 1);
    if (eq <= 0) throw new Error(`counters field without '=': '${field}'`);
    if (key === 'open') {
      out.open = value;
      continue;
    }
    const name = counterKeys[key];
    if (!name) throw new Error(`unknown counters field '${key}'`);
    if (!/^\d+$/.test(value)) throw new Error(`counters field ${key} is not a count: '${value}'`);
    out[name] = Number(value);
  }
  for (const name of [...Object.values(counterKeys), 'open'] as const) {
    if (out[name] === undefined) throw new Error(`counters line lacks '${name}': '${line}'`);
  }
  return out as ServerCounters;
}

/** t_us cmd lba sectors bytes service_ns tag status error aoe_error */
const traceFields = 10;

/** Parses a trace file (header lines, then one line per request). */
export function parseTrace(text: string): Trace {
  const lines = text.split('\n');
  const header = /^# vblade-trace v1 open=(\S+)$/.exec(lines[0] ?? '');
  if (!header) throw new Error(`not a vblade-trace v1 file: '${(lines[0] ?? '').slice(0, 80)}'`);
  const records: TraceRecord[] = [];
  lines.forEach((line, index) => {
    if (line === '' || line.startsWith('#')) return;
    const f = line.split(' ');
    if (f.length !== traceFields)
      throw new Error(`trace line ${index + 1} has ${f.length} fields, expected ${traceFields}: '${line}'`);
    const dec = (s: string) => Number(s);
    const hex = (s: string) => parseInt(s, 16);
    records.push({
      timeUs: dec(f[0]!),
      command: hex(f[1]!),
      lba: dec(f[2]!),
      sectors: dec(f[3]!),
      bytes: dec(f[4]!),
      serviceNs: dec(f[5]!),
      tag: hex(f[6]!),
      status: hex(f[7]!),
      error: hex(f[8]!),
      aoeError: dec(f[9]!),
    });
    const last = records[records.length - 1]!;
    if (Object.values(last).some((v) => typeof v === 'number' && Number.isNaN(v))) {
      throw new Error(`trace line ${index + 1} has a field that is not a number: '${line}'`);
    }
  });
  return { open: header[1]!, records };
}

/** aoe-parallel's own statistics file (-p; format at the top of server/parallel/acct.h). */
export interface ParallelStats {
  batches: number;
  frames: number;
  maxBatch: number;
  ioOps: number;
  ioRequests: number;
  maxMerge: number;
  maxInflight: number;
  maxOpsInflight: number;
  deferred: number;
}

const statsKeys: Record<string, keyof ParallelStats> = {
  batches: 'batches',
  frames: 'frames',
  max_batch: 'maxBatch',
  io_ops: 'ioOps',
  io_requests: 'ioRequests',
  max_merge: 'maxMerge',
  max_inflight: 'maxInflight',
  max_ops_inflight: 'maxOpsInflight',
  deferred: 'deferred',
};

/** Parses the one-line aoe-parallel-stats file; throws with the reason on anything else. */
export function parseParallelStats(text: string): ParallelStats {
  const line = text.trim();
  const fields = line.split(/\s+/);
  if (fields[0] !== 'aoe-parallel-stats' || fields[1] !== 'v1')
    throw new Error(`not an aoe-parallel-stats v1 line: '${line.slice(0, 80)}'`);
  const out: Partial<ParallelStats> = {};
  for (const field of fields.slice(2)) {
    const [key, value] = field.split('=');
    const name = statsKeys[key ?? ''];
    if (!name || value === undefined || !/^\d+$/.test(value)) throw new Error(`bad stats field '${field}'`);
    out[name] = Number(value);
  }
  for (const name of Object.values(statsKeys))
    if (out[name] === undefined) throw new Error(`stats line lacks '${name}': '${line}'`);
  return out as ParallelStats;
}

/**
 * The most requests a trace shows in flight at once: each request spans [receipt, receipt +
 * service); the receipt time has 1 us resolution, so each span is shortened by 2 us to keep a
 * serial server's back-to-back requests (next receipt within the same microsecond as the last
 * answer) from counting as overlapping.
 */
export function maxInFlight(records: TraceRecord[]): number {
  const slackNs = 2000;
  const t0 = Math.min(...records.map((r) => r.timeUs)); // ns since then stay exact in a double
  const events: [number, number][] = [];
  for (const r of records) {
    const start = (r.timeUs - t0) * 1000;
    const end = start + r.serviceNs - slackNs;
    if (end <= start) continue;
    events.push([start, 1], [end, -1]);
  }
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]); // an end before a start at the same instant
  let now = 0;
  let most = records.length > 0 ? 1 : 0;
  for (const [, delta] of events) most = Math.max(most, (now += delta));
  return most;
}
