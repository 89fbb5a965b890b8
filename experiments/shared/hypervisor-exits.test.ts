// SPDX-License-Identifier: MIT
import { describe, expect, test } from 'vitest';
import { lastExitReport, parseExitCountLines } from './hypervisor-exits.js';

const transcript = [
  { t: 500, text: '[    0.4] vmm: starting the guest in real mode\r\n' },
  { t: 10_200, text: '[   10.1] vmm: exit counts so far: total 2369 cpuid=2342 vmmcall=27\r\n' },
  { t: 20_300, text: '[   20.2] vmm: exit counts so far: total 3126 cpuid=3022 msr=5 ' },
  { t: 20_310, text: 'ioio=650 vmmcall=99\r\n' },
  { t: 30_400, text: '[   30.3] vmm: exit counts so far: total 4000 cpuid=3800 msr=5 ioio=96 vmmcall=99\r\n' },
];

describe('the hypervisor exit report before login', () => {
  test('takes the last whole report at or before the login time', () => {
    expect(lastExitReport(transcript, 25_000)).toEqual({
      t: 20_310,
      total: 3126,
      byReason: { cpuid: 3022, msr: 5, ioio: 650, vmmcall: 99 },
    });
  });

  test('none before the first report; the latest when login comes after all', () => {
    expect(lastExitReport(transcript, 9_000)).toBeUndefined();
    expect(lastExitReport(transcript, 60_000)?.total).toBe(4000);
  });
});

describe('the exit-count lines', () => {
  test('every complete line, with when, total and reasons; a line still arriving is not one yet', () => {
    const text = transcript.map((c) => c.text).join('') + '[   31.0] vmm: exit counts on guest request: total 4100 cpu';
    expect(parseExitCountLines(text)).toEqual([
      { when: 'so far', total: 2369, byReason: { cpuid: 2342, vmmcall: 27 } },
      { when: 'so far', total: 3126, byReason: { cpuid: 3022, msr: 5, ioio: 650, vmmcall: 99 } },
      { when: 'so far', total: 4000, byReason: { cpuid: 3800, msr: 5, ioio: 96, vmmcall: 99 } },
    ]);
    expect(parseExitCountLines('vmm: exit counts on guest request: total 7 ioio=3\n')).toEqual([
      { when: 'on guest request', total: 7, byReason: { ioio: 3 } },
    ]);
  });
});
