// SPDX-License-Identifier: MIT
import { readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import {
  bootDurations,
  extractBootMarkers,
  findInTranscript,
  parseTimedLog,
  stripAnsi,
  type TranscriptChunk,
} from '../testbed/index.js';

const fixture = new URL('./fixtures/debian12-boot.com1.timed.log', import.meta.url);

describe('boot markers', () => {
  test('a real Debian 12 boot transcript (QEMU TCG, IDE disk) yields all markers in order', async () => {
    const chunks = parseTimedLog(await readFile(fixture, 'utf8'));
    const markers = extractBootMarkers(chunks);
    // Values are the host arrival times recorded in the fixture.
    expect(markers).toEqual({ grubMenu: 1698.289, grubLeft: 5938.366, login: 113400.402 });
    expect(bootDurations(markers)).toEqual({
      toGrubMenu: 1.698289,
      osBoot: (113400.402 - 5938.366) / 1000,
      total: 113.400402,
    });
  });

  test('markers survive escape sequences and chunk splits, and a later reboot does not move them', () => {
    const chunks: TranscriptChunk[] = [
      { t: 10, text: '\x1b[2J\x1b[1;1HGNU GRUB \x1b[0m version 2.06' },
      { t: 3000, text: 'Loading Lin' },
      { t: 3001, text: 'ux 6.1.0-50-amd64 ...\r\n' },
      { t: 4000, text: '[    0.000000] Linux version 6.1.0-50-amd64\r\n' },
      { t: 30000, text: 'debian login: ' },
      { t: 40000, text: 'GNU GRUB  version 2.06\r\nLoading Linux 6.1\r\n' },
    ];
    expect(extractBootMarkers(chunks)).toEqual({ grubMenu: 10, grubLeft: 3001, kernelStart: 4000, login: 30000 });
  });

  test('missing milestones stay undefined (a hang before login)', () => {
    const markers = extractBootMarkers([{ t: 5, text: 'GNU GRUB  version 2.06\r\nLoading Linux 6.1 ...' }]);
    expect(markers).toEqual({ grubMenu: 5, grubLeft: 5 });
    expect(bootDurations(markers)).toEqual({ toGrubMenu: 0.005, osBoot: undefined, total: undefined });
  });

  test('timed log parsing is exact and rejects malformed lines with their number', () => {
    const chunks = parseTimedLog('1.500 "a\\r\\nb"\n2.000 "\\u001b[0m"\n');
    expect(chunks).toEqual([
      { t: 1.5, text: 'a\r\nb' },
      { t: 2, text: '\x1b[0m' },
    ]);
    expect(() => parseTimedLog('1.0 "ok"\nnot a line\n')).toThrow(/line 2/);
    expect(findInTranscript(chunks, /b/)?.t).toBe(1.5);
    expect(stripAnsi('\x1b[1;1Hx\x1b[?25ly')).toBe('xy');
  });
});
