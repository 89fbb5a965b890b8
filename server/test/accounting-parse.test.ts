// SPDX-License-Identifier: MIT
// The accounting parsers on hand-written samples of the formats documented in acct.c (and
// aoe-parallel's statistics in server/parallel/acct.h).
import { describe, expect, test } from 'vitest';
import { maxInFlight, parseCounters, parseParallelStats, parseTrace, type TraceRecord } from '../accounting.js';

const counters =
  'vblade-counters v1 time_us=1795735762218787 read_bytes=512000 write_bytes=1024 read_cmds=500 ' +
  'write_cmds=1 flushes=2 other_cmds=6 errors=3 open=O_RDWR|O_DIRECT\n';

describe('parseCounters', () => {
  test('reads every field', () => {
    expect(parseCounters(counters)).toEqual({
      timeUs: 1795735762218787,
      readBytes: 512000,
      writeBytes: 1024,
      readCmds: 500,
      writeCmds: 1,
      flushes: 2,
      otherCmds: 6,
      errors: 3,
      open: 'O_RDWR|O_DIRECT',
    });
  });
  test('rejects other files, missing and malformed fields with the reason', () => {
    expect(() => parseCounters('pid 12: e0.1')).toThrow(/not a vblade-counters v1 line/);
    expect(() => parseCounters(counters.replace(' flushes=2', ''))).toThrow(/lacks 'flushes'/);
    expect(() => parseCounters(counters.replace('errors=3', 'errors=x'))).toThrow(/not a count/);
    expect(() => parseCounters(counters.replace('errors=3', 'bogus=3'))).toThrow(/unknown counters field 'bogus'/);
  });
});

describe('parseTrace', () => {
  const trace = [
    '# vblade-trace v1 open=O_RDWR',
    '# t_us cmd lba sectors bytes service_ns tag status error aoe_error',
    '1795735740212215 ec 0 1 0 255410 99170000 40 00 0',
    '1795735746512355 24 268435455 2 1024 7945 ec480001 40 00 0',
    '1795735746512999 34 9 255 0 1200 ec490000 00 00 2',
    '',
  ].join('\n');
  test('reads header and records', () => {
    const t = parseTrace(trace);
    expect(t.open).toBe('O_RDWR');
    expect(t.records).toHaveLength(3);
    expect(t.records[1]).toEqual({
      timeUs: 1795735746512355,
      command: 0x24,
      lba: 268435455,
      sectors: 2,
      bytes: 1024,
      serviceNs: 7945,
      tag: 0xec480001,
      status: 0x40,
      error: 0,
      aoeError: 0,
    });
    expect(t.records[2]!.aoeError).toBe(2);
  });
  test('rejects a wrong header, short lines and non-numbers with the line number', () => {
    expect(() => parseTrace('hello\n')).toThrow(/not a vblade-trace v1 file/);
    expect(() => parseTrace(trace + '1 ec 0 1\n')).toThrow(/line 6 has 4 fields/);
    expect(() => parseTrace(trace + '1 ec zz 1 0 1 0 40 00 0\n')).toThrow(/line 6 .*not a number/);
  });
});

describe('parseParallelStats', () => {
  const line =
    'aoe-parallel-stats v1 batches=3 frames=70 max_batch=64 io_ops=2 io_requests=66 max_merge=64 ' +
    'max_inflight=64 max_ops_inflight=1 deferred=0\n';
  test('reads every field', () => {
    expect(parseParallelStats(line)).toEqual({
      batches: 3,
      frames: 70,
      maxBatch: 64,
      ioOps: 2,
      ioRequests: 66,
      maxMerge: 64,
      maxInflight: 64,
      maxOpsInflight: 1,
      deferred: 0,
    });
  });
  test('rejects other files and missing or malformed fields', () => {
    expect(() => parseParallelStats('vblade-counters v1')).toThrow(/not an aoe-parallel-stats v1 line/);
    expect(() => parseParallelStats(line.replace(' deferred=0', ''))).toThrow(/lacks 'deferred'/);
    expect(() => parseParallelStats(line.replace('frames=70', 'frames=x'))).toThrow(/bad stats field/);
  });
});

describe('maxInFlight', () => {
  const at = (timeUs: number, serviceNs: number) => ({ timeUs, serviceNs }) as TraceRecord;
  test('back-to-back requests of a serial server count as one, even within the same microsecond', () => {
    expect(maxInFlight([at(100, 50_000), at(150, 40_000), at(190, 30_000)])).toBe(1);
  });
  test('requests received together and answered later are all in flight', () => {
    expect(maxInFlight([at(100, 50_000), at(100, 60_000), at(100, 70_000), at(200, 10_000)])).toBe(3);
  });
});
