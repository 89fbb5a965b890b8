// SPDX-License-Identifier: MIT
// A client's request stream as the server saw it, for replay by `aoe-probe replay` (issue 21's
// boot storm: one recorded boot replayed by many host-side initiators). The server's trace (-t)
// has one line per AoE frame; the frames of one ATA command share the upper 16 bits of their tag
// (the command sequence; the lower 16 are the packet index, as the hypervisor and aoe-probe tag
// them). A command's reads or writes become one stream line, with the client's own time before
// it: from the end of the previous command (its last answer) to the command's first frame.
// Commands without data (IDENTIFY, SET FEATURES, FLUSH) are not replayed: the next gap runs from
// the previous data command's end, so it includes their time.
import type { Trace, TraceRecord } from './accounting.js';

export interface StreamCommand {
  /** Microseconds the client spent before this command, since the previous one ended. */
  gapUs: number;
  write: boolean;
  lba: number;
  sectors: number;
}

const reads = new Set([0x20, 0x24]);
const writes = new Set([0x30, 0x34]);
/** A command sequence seen again this long after its last frame is a new command (the 16 bits wrapped). */
const reuseAfterUs = 10_000_000;

interface Group {
  seq: number;
  records: TraceRecord[];
  lastUs: number;
}

/** The trace's data commands in the order they started, with the gaps between them. */
export function streamFromTrace(trace: Trace): StreamCommand[] {
  const groups: Group[] = [];
  const open = new Map<number, Group>();
  for (const record of [...trace.records].sort((a, b) => a.timeUs - b.timeUs)) {
    const seq = record.tag >>> 16;
    let group = open.get(seq);
    if (group === undefined || record.timeUs - group.lastUs > reuseAfterUs) {
      group = { seq, records: [], lastUs: record.timeUs };
      open.set(seq, group);
      groups.push(group);
    }
    group.records.push(record);
    group.lastUs = Math.max(group.lastUs, record.timeUs);
  }
  const stream: StreamCommand[] = [];
  let previousEndUs: number | undefined;
  for (const group of groups) {
    const startUs = Math.min(...group.records.map((r) => r.timeUs));
    const endUs = Math.max(...group.records.map((r) => r.timeUs + r.serviceNs / 1000));
    const command = group.records[0]!.command;
    if (reads.has(command) || writes.has(command)) {
      // a retransmitted frame appears twice: each packet index counts once
      const frames = new Map(group.records.map((r) => [r.tag & 0xffff, r]));
      const lba = Math.min(...[...frames.values()].map((r) => r.lba));
      const sectors = [...frames.values()].reduce((sum, r) => sum + r.sectors, 0);
      const gapUs = previousEndUs === undefined ? 0 : Math.max(0, Math.round(startUs - previousEndUs));
      stream.push({ gapUs, write: writes.has(command), lba, sectors });
      previousEndUs = endUs;
    }
  }
  return stream;
}

/** The stream in `aoe-probe replay`'s format. */
export function formatStream(stream: readonly StreamCommand[]): string {
  return `# aoe-replay v1\n${stream.map((c) => `${c.gapUs} ${c.write ? 'w' : 'r'} ${c.lba} ${c.sectors}`).join('\n')}\n`;
}
