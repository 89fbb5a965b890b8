// SPDX-License-Identifier: MIT
/**
 * The hypervisor's AoE statistics as it prints them on its console (vmm/src/aoe/aoe_stats_log.c):
 * a block from "aoe stats begin (<reason>)" to "aoe stats end". Pure parsing of the transcript.
 */

export interface RttByIndex {
  index: number;
  count: number;
  totalUs: number;
  maxUs: number;
}

export interface CommandTotals {
  count: number;
  sectors: number;
  totalUs: number;
  maxUs: number;
}

/**
 * Where the client's time went while commands ran (microseconds; vmm/include/aoe/aoe_stats.h):
 * busy = inside the command loop; the rest split it (other = what no phase claimed).
 */
export interface ClientTimeSplit {
  busyUs: number;
  transmitUs: number;
  doorbellUs: number;
  receiveUs: number;
  idleUs: number;
  otherUs: number;
  framesReceived: number;
}

export interface HypervisorAoeStats {
  reason: string;
  commands: number;
  framesSent: number;
  retransmits: number;
  duplicates: number;
  stale: number;
  bytesRead: number;
  bytesWritten: number;
  dataCommands: { read?: CommandTotals; write?: CommandTotals };
  rtt: { read: RttByIndex[]; write: RttByIndex[] };
  /** Absent from hypervisors built before the split was counted. */
  time?: ClientTimeSplit;
}

const begin = /aoe stats begin \(([^)]*)\)\r?$/;
const counters =
  /aoe stats: commands (\d+), frames sent (\d+), retransmits (\d+), duplicates (\d+), stale (\d+), .*bytes read (\d+), written (\d+)\r?$/;
const commandLine = /aoe commands (read|write): count (\d+) sectors (\d+) mean \d+ us max (\d+) us total (\d+) us\r?$/;
const timeLine =
  /aoe time: busy (\d+) us, transmit (\d+) us, doorbell (\d+) us, receive (\d+) us, idle (\d+) us, other (\d+) us, frames received (\d+)\r?$/;
const rttLine = /aoe rtt (read|write) index (\d+): count (\d+) mean \d+ us max (\d+) us total (\d+) us\r?$/;

/** Every complete statistics block in a hypervisor console transcript, in order. */
export function parseAoeStatsBlocks(transcript: string): HypervisorAoeStats[] {
  const blocks: HypervisorAoeStats[] = [];
  let open: HypervisorAoeStats | undefined;
  for (const line of transcript.split('\n')) {
    const started = begin.exec(line);
    if (started) {
      open = {
        reason: started[1]!,
        commands: 0,
        framesSent: 0,
        retransmits: 0,
        duplicates: 0,
        stale: 0,
        bytesRead: 0,
        bytesWritten: 0,
        dataCommands: {},
        rtt: { read: [], write: [] },
      };
      continue;
    }
    if (!open) continue;
    if (/aoe stats end\r?$/.test(line)) {
      blocks.push(open);
      open = undefined;
      continue;
    }
    const c = counters.exec(line);
    if (c) {
      const [commands, framesSent, retransmits, duplicates, stale, bytesRead, bytesWritten] = c
        .slice(1)
        .map(Number) as [number, number, number, number, number, number, number];
      Object.assign(open, { commands, framesSent, retransmits, duplicates, stale, bytesRead, bytesWritten });
      continue;
    }
    const command = commandLine.exec(line);
    if (command) {
      open.dataCommands[command[1] as 'read' | 'write'] = {
        count: Number(command[2]),
        sectors: Number(command[3]),
        maxUs: Number(command[4]),
        totalUs: Number(command[5]),
      };
      continue;
    }
    const time = timeLine.exec(line);
    if (time) {
      const [busyUs, transmitUs, doorbellUs, receiveUs, idleUs, otherUs, framesReceived] = time
        .slice(1)
        .map(Number) as [number, number, number, number, number, number, number];
      open.time = { busyUs, transmitUs, doorbellUs, receiveUs, idleUs, otherUs, framesReceived };
      continue;
    }
    const rtt = rttLine.exec(line);
    if (rtt)
      open.rtt[rtt[1] as 'read' | 'write'].push({
        index: Number(rtt[2]),
        count: Number(rtt[3]),
        maxUs: Number(rtt[4]),
        totalUs: Number(rtt[5]),
      });
  }
  return blocks;
}
