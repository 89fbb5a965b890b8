// SPDX-License-Identifier: MIT
// A boot storm from replays (issue 21): N host-side initiators replay one recorded request stream
// (`aoe-probe replay`, server/boot-stream.ts) at once against one server. Each initiator has a
// macvlan of its own on the lab's client end, so the server sees N MACs (aoe-parallel -C: N
// overlays), and writes data of its own (--seed).
import { AoeLab } from './lab.js';

/** What one replaying client reported (aoe-probe's "replay" event), or why it failed. */
export interface StormClient {
  mac: string;
  ok: boolean;
  /** Time inside commands, from issuing one to its last answer (the client's "disk time"). */
  diskUs: number;
  /** From the first command to the last answer, gaps included. */
  elapsedUs: number;
  sectorsRead: number;
  sectorsWritten: number;
  retransmits: number;
  /** aoe-probe's error output when ok is false. */
  error?: string;
}

export interface StormResult {
  clients: StormClient[];
  /** From starting the first initiator to the last one's exit. */
  wallUs: number;
  /** The server's output (its start-up lines, any error). */
  serverOutput: string;
}

export interface StormOptions {
  /** Name of the lab's network namespace (created and deleted here). */
  labName: string;
  /** Server binary (patched vblade or aoe-parallel) and its flags besides shelf, slot, interface, image. */
  binary: string;
  flags: string[];
  image: string;
  /** An `aoe-probe replay` stream file. */
  streamFile: string;
  clients: number;
  /** More `aoe-probe replay` options (e.g. --window, --retries). */
  probeArgs?: string[];
  mtu?: number;
}

/** The MAC of replaying client i (0-based): locally administered, distinct from QEMU's 52:54:00. */
export function stormClientMac(index: number): string {
  if (!Number.isInteger(index) || index < 0 || index > 0xffff)
    throw new Error(`storm client index ${index} out of range`);
  return `02:a0:e0:00:${((index >> 8) & 0xff).toString(16).padStart(2, '0')}:${(index & 0xff).toString(16).padStart(2, '0')}`;
}

const count = (event: Record<string, unknown>, key: string): number => {
  const value = event[key];
  if (typeof value !== 'number') throw new Error(`aoe-probe's replay event lacks '${key}': ${JSON.stringify(event)}`);
  return value;
};

/** Starts the server in a fresh lab, lets `clients` initiators replay the stream at once, and tears the lab down. */
export async function runReplayStorm(options: StormOptions): Promise<StormResult> {
  const lab = AoeLab.create(options.labName, options.mtu);
  try {
    const server = await lab.startServer({ binary: options.binary, image: options.image, flags: options.flags });
    const macs = Array.from({ length: options.clients }, (_, i) => stormClientMac(i));
    const interfaces = macs.map((mac, i) => lab.addClient(`storm${i}`, mac));
    const started = performance.now();
    const clients = await Promise.all(
      interfaces.map(async (ifname, i): Promise<StormClient> => {
        const result = await lab.probe(
          ['replay', '--in', options.streamFile, '--seed', String(i + 1), ...(options.probeArgs ?? [])],
          ifname,
        );
        const event = result.events.find((e) => e['event'] === 'replay');
        if (result.code !== 0 || event === undefined)
          return {
            mac: macs[i]!,
            ok: false,
            diskUs: 0,
            elapsedUs: 0,
            sectorsRead: 0,
            sectorsWritten: 0,
            retransmits: 0,
            error: result.stderr.trim() || `aoe-probe exited ${result.code}`,
          };
        return {
          mac: macs[i]!,
          ok: true,
          diskUs: count(event, 'disk_us'),
          elapsedUs: count(event, 'elapsed_us'),
          sectorsRead: count(event, 'sectors_read'),
          sectorsWritten: count(event, 'sectors_written'),
          retransmits: count(event, 'retransmits'),
        };
      }),
    );
    const wallUs = (performance.now() - started) * 1000;
    await lab.stopServer(server);
    return { clients, wallUs, serverOutput: server.output() };
  } finally {
    lab.close();
  }
}
