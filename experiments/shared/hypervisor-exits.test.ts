// SPDX-License-Identifier: MIT
import { describe, expect, test } from 'vitest';
import { lastExitReport } from './hypervisor-exits.js';

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
