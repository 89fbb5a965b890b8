// SPDX-License-Identifier: MIT
import { readdirSync, readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * What else the host did while a repetition was measured. Timings on a shared host move with other
 * work (a CI run beside a benchmark halved a throughput here), so every repetition records the
 * CPU time of processes outside the pipeline's own tree, the CPU steal of the host's hypervisor,
 * and the load average; a repetition above the thresholds is flagged in results and report.
 * Kernel threads (kthreadd's children: writeback, the loop device, softirqs) are recorded apart
 * and not flagged: they carry the pipeline's own I/O (the cache-off server reads through a loop
 * device) as much as anyone's, and /proc cannot tell whose.
 */
export const hostActivitySchema = z
  .object({
    repetition: z.number().int().min(1),
    /** Length of the measured interval (s). */
    seconds: z.number().min(0),
    /** 1-minute load average at the interval's start and end. */
    load1: z.tuple([z.number(), z.number()]),
    /** CPU time of user processes outside the pipeline's tree, as a share of one CPU over the interval. */
    otherCpuShare: z.number().min(0),
    /** CPU time of kernel threads, the same way (absent in runs before 2026-12-05, which counted them as others). */
    kernelCpuShare: z.number().min(0).optional(),
    /** The busiest of those processes: name and CPU seconds. */
    busiestOthers: z.array(z.object({ command: z.string(), cpuSeconds: z.number() }).strict()),
    /** Share of all CPU time the host's own hypervisor took away (steal). */
    stealShare: z.number().min(0),
    /** Why this repetition is flagged as disturbed; absent when it is not. */
    disturbed: z.string().optional(),
  })
  .strict();
export type HostActivity = z.infer<typeof hostActivitySchema>;

/** A repetition is disturbed when other processes used more than this share of one CPU... */
export const otherCpuShareLimit = 0.1;
/** ...or the host's hypervisor stole more than this share of the CPU time. */
export const stealShareLimit = 0.05;

/** Linux's USER_HZ: /proc reports CPU times in these ticks (100 on every architecture Linux runs QEMU here). */
const ticksPerSecond = 100;

export interface ProcessTimes {
  ppid: number;
  command: string;
  /** utime + stime in ticks. */
  ticks: number;
}

export interface HostSample {
  atMs: number;
  load1: number;
  /** The aggregate "cpu" line of /proc/stat: all ticks and the steal ticks. */
  cpu: { total: number; steal: number };
  processes: Map<number, ProcessTimes>;
}

/** The aggregate cpu line of /proc/stat: total ticks and steal (the 8th value). Pure. */
export function parseCpuLine(procStat: string): { total: number; steal: number } {
  const line = procStat.split('\n').find((l) => l.startsWith('cpu '));
  if (line === undefined) throw new Error('/proc/stat has no aggregate cpu line');
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  // guest and guest_nice (9th, 10th) are already counted in user and nice.
  const total = values.slice(0, 8).reduce((sum, value) => sum + value, 0);
  return { total, steal: values[7] ?? 0 };
}

/** One /proc/<pid>/stat line: the command may hold spaces and parentheses, so fields count from the last ')'. Pure. */
export function parseProcessStat(line: string): ProcessTimes & { pid: number } {
  const open = line.indexOf('(');
  const close = line.lastIndexOf(')');
  const fields = line
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  // After the command: state(3) ppid(4) ... utime(14) stime(15), numbered from 1 with pid and comm.
  return {
    pid: Number(line.slice(0, open).trim()),
    command: line.slice(open + 1, close),
    ppid: Number(fields[1]),
    ticks: Number(fields[11]) + Number(fields[12]),
  };
}

export function sampleHost(now = Date.now()): HostSample {
  const processes = new Map<number, ProcessTimes>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const { pid, ...times } = parseProcessStat(readFileSync(`/proc/${entry}/stat`, 'utf8'));
      processes.set(pid, times);
    } catch {
      // the process ended between the listing and the read
    }
  }
  return {
    atMs: now,
    load1: Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]),
    cpu: parseCpuLine(readFileSync('/proc/stat', 'utf8')),
    processes,
  };
}

/** Linux's kthreadd: every kernel thread is it or its child. */
const kthreadd = 2;
const isKernelThread = (pid: number, times: ProcessTimes) => pid === kthreadd || times.ppid === kthreadd;

/** `root` and every process descending from it, as the end sample saw them. Pure. */
function treeOf(root: number, processes: ReadonlyMap<number, ProcessTimes>): Set<number> {
  const tree = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, times] of processes) {
      if (!tree.has(pid) && tree.has(times.ppid)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  return tree;
}

/**
 * The host's activity between two samples, apart from `ownPid`'s process tree (the pipeline, its
 * QEMU PCs and servers). Processes that began and ended between the samples are not seen. Pure.
 */
export function hostActivity(start: HostSample, end: HostSample, ownPid: number, repetition: number): HostActivity {
  const seconds = Math.max((end.atMs - start.atMs) / 1000, 1e-3);
  const own = treeOf(ownPid, end.processes);
  const cpuSecondsOf = (pid: number, times: ProcessTimes) =>
    (times.ticks - (start.processes.get(pid)?.ticks ?? 0)) / ticksPerSecond;
  const outside = [...end.processes].filter(([pid]) => !own.has(pid));
  const others = outside
    .filter(([pid, times]) => !isKernelThread(pid, times))
    .map(([pid, times]) => ({ command: times.command, cpuSeconds: cpuSecondsOf(pid, times) }))
    .filter((other) => other.cpuSeconds > 0)
    .sort((a, b) => b.cpuSeconds - a.cpuSeconds);
  const otherCpuShare = others.reduce((sum, other) => sum + other.cpuSeconds, 0) / seconds;
  const kernelCpuShare =
    outside
      .filter(([pid, times]) => isKernelThread(pid, times))
      .reduce((sum, [pid, times]) => sum + Math.max(cpuSecondsOf(pid, times), 0), 0) / seconds;
  const allTicks = end.cpu.total - start.cpu.total;
  const stealShare = allTicks > 0 ? (end.cpu.steal - start.cpu.steal) / allTicks : 0;
  const reasons = [
    ...(otherCpuShare > otherCpuShareLimit
      ? [
          `other processes used ${(otherCpuShare * 100).toFixed(0)} % of a CPU (${others
            .slice(0, 3)
            .map((o) => o.command)
            .join(', ')})`,
        ]
      : []),
    ...(stealShare > stealShareLimit
      ? [`the host's hypervisor stole ${(stealShare * 100).toFixed(0)} % of the CPU time`]
      : []),
  ];
  return {
    repetition,
    seconds,
    load1: [start.load1, end.load1],
    otherCpuShare,
    kernelCpuShare,
    busiestOthers: others
      .slice(0, 3)
      .map((other) => ({ command: other.command, cpuSeconds: Number(other.cpuSeconds.toFixed(2)) })),
    stealShare,
    ...(reasons.length > 0 ? { disturbed: reasons.join('; ') } : {}),
  };
}
