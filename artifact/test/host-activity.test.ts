// SPDX-License-Identifier: MIT
// What else the host did during a repetition: other processes' CPU, steal and load, from /proc.
import { describe, expect, test } from 'vitest';
import {
  hostActivity,
  parseCpuLine,
  parseProcessStat,
  sampleHost,
  type HostSample,
  type ProcessTimes,
} from '../core/host-activity.js';

const procStatLine = (pid: number, command: string, ppid: number, utime: number, stime: number) =>
  `${pid} (${command}) S ${ppid} ${pid} ${pid} 0 -1 4194560 100 0 0 0 ${utime} ${stime} 0 0 20 0 1 0 100 1000 10 18446744073709551615`;

function sample(
  atMs: number,
  cpu: { total: number; steal: number },
  processes: [number, ProcessTimes][],
  load1 = 0.5,
): HostSample {
  return { atMs, load1, cpu, processes: new Map(processes) };
}

describe('host activity around a measured interval', () => {
  test('/proc lines: the aggregate cpu line and a process whose name holds spaces and parentheses', () => {
    expect(parseCpuLine('cpu  100 5 50 800 20 3 2 7 0 0\ncpu0 50 2 25 400 10 1 1 3 0 0\n')).toEqual({
      total: 987,
      steal: 7,
    });
    expect(parseProcessStat(procStatLine(4242, 'qemu (tcg) x', 17, 1200, 300))).toEqual({
      pid: 4242,
      command: 'qemu (tcg) x',
      ppid: 17,
      ticks: 1500,
    });
  });

  test("the pipeline's own tree does not count; another process's CPU does, and flags the repetition", () => {
    const start = sample(0, { total: 0, steal: 0 }, [
      [100, { ppid: 1, command: 'node', ticks: 0 }],
      [101, { ppid: 100, command: 'qemu-system-x86', ticks: 0 }],
      [500, { ppid: 1, command: 'gcc', ticks: 1000 }],
    ]);
    const end = sample(10_000, { total: 2000, steal: 20 }, [
      [100, { ppid: 1, command: 'node', ticks: 100 }],
      [101, { ppid: 100, command: 'qemu-system-x86', ticks: 900 }],
      // Started during the interval, under QEMU's parent: still the pipeline's.
      [102, { ppid: 101, command: 'vblade', ticks: 50 }],
      [500, { ppid: 1, command: 'gcc', ticks: 1500 }],
      [501, { ppid: 1, command: 'sleep', ticks: 0 }],
    ]);
    const activity = hostActivity(start, end, 100, 2);
    expect(activity).toMatchObject({
      repetition: 2,
      seconds: 10,
      otherCpuShare: 0.5,
      stealShare: 0.01,
      busiestOthers: [{ command: 'gcc', cpuSeconds: 5 }],
    });
    expect(activity.disturbed).toMatch(/other processes used 50 % of a CPU \(gcc\)/);
  });

  test('kernel threads (writeback, the loop device) are recorded apart and do not flag the repetition', () => {
    const start = sample(0, { total: 0, steal: 0 }, [
      [2, { ppid: 0, command: 'kthreadd', ticks: 0 }],
      [100, { ppid: 1, command: 'node', ticks: 0 }],
      [300, { ppid: 2, command: 'kworker/u8:3-writeback', ticks: 0 }],
    ]);
    const end = sample(10_000, { total: 2000, steal: 0 }, [
      [2, { ppid: 0, command: 'kthreadd', ticks: 0 }],
      [100, { ppid: 1, command: 'node', ticks: 100 }],
      [300, { ppid: 2, command: 'kworker/u8:3-writeback', ticks: 250 }],
      [301, { ppid: 2, command: 'kworker/u8:2-loop1', ticks: 50 }],
    ]);
    const activity = hostActivity(start, end, 100, 1);
    expect(activity).toMatchObject({ otherCpuShare: 0, kernelCpuShare: 0.3, busiestOthers: [] });
    expect(activity.disturbed).toBeUndefined();
  });

  test('an idle host is not flagged; steal above 5 % is', () => {
    const start = sample(0, { total: 0, steal: 0 }, [[100, { ppid: 1, command: 'node', ticks: 0 }]]);
    expect(
      hostActivity(
        start,
        sample(5_000, { total: 1000, steal: 10 }, [[100, { ppid: 1, command: 'node', ticks: 400 }]]),
        100,
        1,
      ).disturbed,
    ).toBeUndefined();
    expect(
      hostActivity(
        start,
        sample(5_000, { total: 1000, steal: 80 }, [[100, { ppid: 1, command: 'node', ticks: 400 }]]),
        100,
        1,
      ).disturbed,
    ).toMatch(/stole 8 % of the CPU time/);
  });

  test('this host can be sampled: this process is in its own tree, and the counters only grow', () => {
    const first = sampleHost();
    const second = sampleHost();
    expect(first.processes.get(process.pid)?.command).toBeTruthy();
    expect(second.cpu.total).toBeGreaterThanOrEqual(first.cpu.total);
    expect(hostActivity(first, second, process.pid, 1).otherCpuShare).toBeGreaterThanOrEqual(0);
  });
});
