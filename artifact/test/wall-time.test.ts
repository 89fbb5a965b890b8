// SPDX-License-Identifier: MIT
import { describe, expect, test } from 'vitest';
import { configurationWallTimes } from '../core/step-ledger.js';
import { wallTimeTable } from '../report/html.js';

const step = (seconds: number) => ({ inputs: 'x', finishedAt: '2026-11-27T00:00:00Z', seconds });

describe('wall time per experiment configuration', () => {
  test('sums the repetitions of each configuration and of each boot session, and ignores build and other steps', () => {
    const times = configurationWallTimes({
      'build/vmm': step(30),
      'experiment/fig04-boot-time/local/rep-1': step(60),
      'experiment/fig04-boot-time/local/rep-2': step(90),
      'experiment/fig04-boot-time/ipxe-sanboot-aoe/rep-1': step(120),
      'experiment/fig05-disk-throughput/local/rep-1': step(30),
      'session/local/rep-1': step(95),
    });
    expect(times).toEqual([
      { experiment: 'fig04-boot-time', configuration: 'local', repetitions: 2, seconds: 150 },
      { experiment: 'fig04-boot-time', configuration: 'ipxe-sanboot-aoe', repetitions: 1, seconds: 120 },
      { experiment: 'fig05-disk-throughput', configuration: 'local', repetitions: 1, seconds: 30 },
      { experiment: 'boot session (whole)', configuration: 'local', repetitions: 1, seconds: 95 },
    ]);
  });

  test('the report table gives minutes in total and per repetition', () => {
    const html = wallTimeTable([
      { experiment: 'fig04-boot-time', configuration: 'local', repetitions: 2, seconds: 150 },
    ]);
    expect(html).toContain('<td>fig04-boot-time</td><td>local</td><td>2</td><td>2.5</td><td>1.3</td>');
  });
});
