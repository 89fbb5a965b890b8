// SPDX-License-Identifier: MIT
// Replaying a client's request stream (issue 21's boot storm): a stream replayed by aoe-probe
// against the patched vblade comes back out of the server's trace as the same commands with at
// least the same gaps; the trace-to-stream conversion on hand-made traces; bad streams refused.
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TraceRecord } from '../accounting.js';
import { parseTrace } from '../accounting.js';
import { formatStream, streamFromTrace, type StreamCommand } from '../boot-stream.js';
import { AoeLab, buildServer } from '../lab.js';

let lab: AoeLab;
let dir: string;
let image: string;

beforeAll(() => {
  buildServer();
  dir = mkdtempSync(join(tmpdir(), 'aoe-replay-'));
  image = join(dir, 'disk.img');
  writeFileSync(image, '');
  truncateSync(image, 16 << 20);
  lab = AoeLab.create(`aoe-replay-${process.pid}`);
});

afterAll(() => {
  lab?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const record = (timeUs: number, command: number, tag: number, lba: number, sectors = 2): TraceRecord => ({
  timeUs,
  command,
  lba,
  sectors,
  bytes: sectors * 512,
  serviceNs: 100_000,
  tag,
  status: 0x40,
  error: 0,
  aoeError: 0,
});

describe('a trace becomes a stream', () => {
  test("frames group into commands by sequence; a retransmitted frame counts once; a FLUSH's time stays in the gap", () => {
    const seq = (s: number, index: number) => ((s << 16) | index) >>> 0;
    const stream = streamFromTrace({
      open: 'O_RDWR',
      records: [
        record(1000, 0x24, seq(7, 0), 100),
        record(1050, 0x24, seq(7, 1), 102),
        record(1060, 0x24, seq(7, 1), 102), // retransmitted
        record(5000, 0xea, seq(8, 0), 0, 0), // FLUSH CACHE EXT: not replayed
        record(9000, 0x34, seq(9, 0), 500),
        record(20_000_000, 0x24, seq(7, 0), 40), // sequence 7 again, much later: a new command
      ],
    });
    expect(stream).toEqual([
      { gapUs: 0, write: false, lba: 100, sectors: 4 },
      { gapUs: 9000 - 1160, write: true, lba: 500, sectors: 2 }, // from the read's last answer
      { gapUs: 20_000_000 - 9100, write: false, lba: 40, sectors: 2 },
    ]);
    expect(formatStream(stream)).toBe('# aoe-replay v1\n0 r 100 4\n7840 w 500 2\n19990900 r 40 2\n');
  });
});

describe('aoe-probe replay', () => {
  test('a replayed stream comes back out of the server trace as the same commands, gaps kept', async () => {
    const original: StreamCommand[] = [
      { gapUs: 0, write: true, lba: 100, sectors: 64 },
      { gapUs: 0, write: false, lba: 0, sectors: 256 },
      { gapUs: 300_000, write: false, lba: 1000, sectors: 16 },
      { gapUs: 50_000, write: true, lba: 2048, sectors: 2 },
      { gapUs: 0, write: false, lba: 100, sectors: 64 },
    ];
    const streamFile = join(dir, 'stream.txt');
    writeFileSync(streamFile, formatStream(original));
    const trace = join(dir, 'trace.log');
    const server = await lab.startServer({ image, flags: ['-t', trace] });
    try {
      const replay = await lab.probe(['replay', '--in', streamFile, '--seed', '5']);
      expect(replay.code, replay.stderr).toBe(0);
      expect(AoeLab.event(replay, 'replay')).toMatchObject({
        commands: 5,
        sectors_read: 256 + 16 + 64,
        sectors_written: 66,
        gaps_us: 350_000,
      });
      expect(AoeLab.event(replay, 'replay')['elapsed_us']).toBeGreaterThanOrEqual(350_000);
      // the written pattern is the seed's: the last read's sectors verify
      expect(
        AoeLab.event(await lab.probe(['verify', '--lba', '100', '--sectors', '64', '--seed', '5']), 'verify'),
      ).toMatchObject({
        mismatched_sectors: 0,
      });
      await new Promise((resolve) => setTimeout(resolve, 400)); // the trace is flushed when idle
    } finally {
      await lab.stopServer(server);
    }
    const replayed = streamFromTrace(parseTrace(readFileSync(trace, 'utf8'))).slice(0, original.length);
    expect(replayed.map(({ gapUs: _, ...c }) => c)).toEqual(original.map(({ gapUs: _, ...c }) => c));
    // the server saw at least the recorded gaps (less a millisecond of clock and wire)
    replayed.forEach((c, i) => expect(c.gapUs).toBeGreaterThanOrEqual(original[i]!.gapUs - 1000));
  });

  test('a malformed stream is refused with the line that is wrong', async () => {
    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, '# aoe-replay v1\n0 r 100 4\n12 x 7 1\n');
    const server = await lab.startServer({ image });
    try {
      const refused = await lab.probe(['replay', '--in', bad]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/line 3 is not 'GAP_US r\|w LBA SECTORS': 12 x 7 1/);
      writeFileSync(bad, '0 r 100 4\n');
      expect((await lab.probe(['replay', '--in', bad])).stderr).toMatch(/does not start with '# aoe-replay v1'/);
    } finally {
      await lab.stopServer(server);
    }
  });
});
