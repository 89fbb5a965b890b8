// SPDX-License-Identifier: MIT
// A lossy wire for the integration tests, the one piece of fake in them: the kernel here has no
// netem, so QEMU's tap and vblade's veth are joined by this relay, which forwards AoE frames both
// ways and impairs them as asked. The one relay of the project: every test that needs a bad wire
// uses it (vmm-aoe-discovery, vmm-aoe-faults). Its random impairments can be changed while it runs
// (setImpairments), so one booted guest can see a lossy wire first and a clean one after.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Netns } from '../../../artifact/testbed/index.js';

export interface LossyRelayOptions {
  /** Network namespace holding both interfaces. */
  netns: string;
  /** The client's side: QEMU's tap. */
  clientIf: string;
  /** The server's side: the relay's end of the veth whose other end vblade serves on. */
  serverIf: string;
  /** Drop every Nth ATA response from the server (counting all of them); 0 or absent: off. */
  dropEveryNthResponse?: number;
  /** From the Nth ATA response on, drop every response for silentSeconds (a silent server). */
  silentAfterResponses?: number;
  silentSeconds?: number;
  /**
   * Random impairments of every AoE frame in either direction, from a generator seeded with
   * `seed` (the same seed gives the same decisions for the same frame sequence): drop, send twice
   * back to back, or hold back and send after the next frame in the same direction (or after
   * holdMs, when no next frame comes).
   */
  dropProbability?: number;
  duplicateProbability?: number;
  reorderProbability?: number;
  seed?: number;
  holdMs?: number;
}

export interface RelayCounts {
  /** Frames sent on (a duplicate counts twice, a reordered frame once). */
  forwarded: number;
  dropped: number;
  duplicated: number;
  reordered: number;
  /** ATA responses from the server seen (forwarded or not). */
  responses: number;
}

/** The impairments that can be changed while the relay runs (the deterministic ones cannot). */
export type RelayImpairments = Pick<
  LossyRelayOptions,
  'dropProbability' | 'duplicateProbability' | 'reorderProbability'
>;

export interface LossyRelay {
  process: ChildProcess;
  /** Everything the relay printed so far (stdout and stderr). */
  output(): string;
  /**
   * Sets the given random impairments from the next frame on; the ones not given stay as they
   * are, and the seeded draws go on (all three 0: a clean pass-through wire). A frame held back
   * for reordering is still sent after the next one. Resolves, once the relay has applied the
   * change, with its counts up to that moment.
   */
  setImpairments(impairments: RelayImpairments): Promise<RelayCounts>;
  /** The counts so far, without stopping the relay. */
  counts(): Promise<RelayCounts>;
  /** Stops the relay (SIGTERM) and returns its final counts; undefined if it had already gone. */
  stop(): Promise<RelayCounts | undefined>;
}

// Control: one JSON object a line on stdin, {"id": n, <impairment>: p, ...}; the relay applies it
// and answers "relay: control <n> forwarded ..." with its counts at that moment.
const relayScript = String.raw`
import json, os, random, select, signal, socket, sys, time
cfg = json.loads(sys.argv[1])
every = cfg["dropEveryNthResponse"]
silent_after, silent_s = cfg["silentAfterResponses"], cfg["silentSeconds"]
p_drop, p_dup, p_reorder = cfg["dropProbability"], cfg["duplicateProbability"], cfg["reorderProbability"]
hold_s = cfg["holdMs"] / 1000
rng = random.Random(cfg["seed"])
AOE = 0x88A2
def open_if(name):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(AOE))
    s.bind((name, AOE))
    return s
client, server = open_if(cfg["clientIf"]), open_if(cfg["serverIf"])
n = dict(forwarded=0, dropped=0, duplicated=0, reordered=0, responses=0)
held = {}   # destination socket -> (frame, time held)
silent_until = None
def send(dst, frame):
    dst.send(frame)
    n["forwarded"] += 1
def flush(dst):
    send(dst, held.pop(dst)[0])
def done(*_):
    for dst in list(held):
        flush(dst)
    print("relay: forwarded {forwarded} dropped {dropped} duplicated {duplicated} reordered {reordered} responses {responses}".format(**n), flush=True)
    sys.exit(0)
signal.signal(signal.SIGTERM, done)
control_fd, control_buf = sys.stdin.fileno(), b""
inputs = [client, server, control_fd]
def control(line):
    global p_drop, p_dup, p_reorder
    msg = json.loads(line)
    p_drop = msg.get("dropProbability", p_drop)
    p_dup = msg.get("duplicateProbability", p_dup)
    p_reorder = msg.get("reorderProbability", p_reorder)
    print("relay: control {} forwarded {forwarded} dropped {dropped} duplicated {duplicated} reordered {reordered} responses {responses}".format(msg["id"], **n), flush=True)
print("relay: ready", flush=True)
while True:
    timeout = None
    if held:
        timeout = max(0.0, min(t for _, t in held.values()) + hold_s - time.monotonic())
    for s in select.select(inputs, [], [], timeout)[0]:
        if s == control_fd:
            data = os.read(control_fd, 4096)
            if not data:   # the test closed its end: no more control, keep relaying
                inputs.remove(control_fd)
                continue
            control_buf += data
            while b"\n" in control_buf:
                line, control_buf = control_buf.split(b"\n", 1)
                control(line)
            continue
        frame, address = s.recvfrom(65536)
        if address[2] == socket.PACKET_OUTGOING:   # our own sends, seen on the same interface
            continue
        dst = server if s is client else client
        # AoE header: flags/version at 14 (0x08: response), command at 19 (0: ATA).
        if s is server and len(frame) > 19 and frame[19] == 0 and frame[14] & 0x08:
            n["responses"] += 1
            if n["responses"] == silent_after:
                silent_until = time.monotonic() + silent_s
                print(f"relay: silent for {silent_s} s from response {n['responses']}", flush=True)
            if (every and n["responses"] % every == 0) or (silent_until and time.monotonic() < silent_until):
                n["dropped"] += 1
                continue
        # Three draws per frame whatever is enabled, so each decision depends on the seed and the
        # frame's position only.
        drop, dup, reorder = rng.random(), rng.random(), rng.random()
        if drop < p_drop:
            n["dropped"] += 1
            continue
        if reorder < p_reorder and dst not in held:
            held[dst] = (frame, time.monotonic())
            n["reordered"] += 1
            continue
        send(dst, frame)
        if dup < p_dup:
            send(dst, frame)
            n["duplicated"] += 1
        if dst in held:   # the held frame goes after the one that overtook it
            flush(dst)
    now = time.monotonic()
    for dst in [d for d, (_, t) in held.items() if now - t >= hold_s]:
        flush(dst)
`;

const countsText = String.raw`forwarded (\d+) dropped (\d+) duplicated (\d+) reordered (\d+) responses (\d+)`;
/** The final counts, printed when the relay stops. */
const finalCountsPattern = new RegExp(`relay: ${countsText}`);

function parseCounts(match: RegExpExecArray): RelayCounts {
  const [forwarded, dropped, duplicated, reordered, responses] = match.slice(1, 6).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  return { forwarded, dropped, duplicated, reordered, responses };
}

function checkProbabilities(impairments: RelayImpairments): void {
  for (const [key, p] of Object.entries(impairments)) {
    if (p !== undefined && !(p >= 0 && p <= 1)) throw new Error(`lossy relay: ${key} must be in [0, 1], got ${p}`);
  }
}

/**
 * Creates a veth pair in the namespace for the server side of a relay: vblade serves on
 * `serverIf`, the relay forwards between `relayIf` and QEMU's tap.
 */
export async function addRelayedServerLink(netns: Netns): Promise<{ serverIf: string; relayIf: string }> {
  const serverIf = 'srv';
  const relayIf = 'relay';
  await netns.run(['ip', 'link', 'add', serverIf, 'type', 'veth', 'peer', 'name', relayIf]);
  await netns.run(['ip', 'link', 'set', serverIf, 'up']);
  await netns.run(['ip', 'link', 'set', relayIf, 'up']);
  return { serverIf, relayIf };
}

/** Starts the relay inside the namespace; resolves once it has both interfaces open. */
export async function startLossyRelay(options: LossyRelayOptions, readyTimeoutMs = 10_000): Promise<LossyRelay> {
  checkProbabilities({
    dropProbability: options.dropProbability,
    duplicateProbability: options.duplicateProbability,
    reorderProbability: options.reorderProbability,
  });
  const config = {
    clientIf: options.clientIf,
    serverIf: options.serverIf,
    dropEveryNthResponse: options.dropEveryNthResponse ?? 0,
    silentAfterResponses: options.silentAfterResponses ?? 0,
    silentSeconds: options.silentSeconds ?? 0,
    dropProbability: options.dropProbability ?? 0,
    duplicateProbability: options.duplicateProbability ?? 0,
    reorderProbability: options.reorderProbability ?? 0,
    seed: options.seed ?? 1,
    holdMs: options.holdMs ?? 2,
  };
  const child = spawn(
    'ip',
    ['netns', 'exec', options.netns, 'python3', '-u', '-c', relayScript, JSON.stringify(config)],
    {
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  // A write after the relay died fails with EPIPE; the pending control request reports it instead.
  child.stdin!.on('error', () => {});
  let out = '';
  const onOutput = new Set<() => void>();
  const onData = (d: Buffer) => {
    out += d.toString();
    for (const listener of [...onOutput]) listener();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  let gone = false;
  void closed.then(() => {
    gone = true;
    for (const listener of [...onOutput]) listener();
  });

  /** Waits until the relay prints `pattern` after output offset `from`; rejects when it exits or after timeoutMs. */
  const waitForOutput = (pattern: RegExp, from: number, what: string, timeoutMs: number) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(out.slice(from));
        if (match) {
          finish();
          resolve(match);
        } else if (gone) {
          finish();
          reject(new Error(`lossy relay exited (${child.exitCode ?? child.signalCode}) before ${what}:\n${out}`));
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`lossy relay: no ${what} within ${timeoutMs} ms:\n${out}`));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        onOutput.delete(check);
      };
      onOutput.add(check);
      check();
    });

  let lastControl = 0;
  const control = async (impairments: RelayImpairments): Promise<RelayCounts> => {
    checkProbabilities(impairments);
    const id = ++lastControl;
    const from = out.length;
    child.stdin!.write(`${JSON.stringify({ id, ...impairments })}\n`);
    const answer = await waitForOutput(
      new RegExp(`relay: control ${id} ${countsText}`),
      from,
      `the answer to control request ${id}`,
      10_000,
    );
    return parseCounts(answer);
  };

  const relay: LossyRelay = {
    process: child,
    output: () => out,
    setImpairments: control,
    counts: () => control({}),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      child.stdin!.end();
      await closed; // 'close': stdout is complete, including the final counts
      const m = finalCountsPattern.exec(out);
      return m ? parseCounts(m) : undefined;
    },
  };
  try {
    await waitForOutput(/relay: ready/, 0, 'it was ready', readyTimeoutMs);
  } catch (error) {
    await relay.stop();
    throw error;
  }
  return relay;
}
