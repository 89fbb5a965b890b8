// SPDX-License-Identifier: MIT
import { findInTranscript, type TranscriptChunk } from '../../artifact/testbed/index.js';
import type { MetricInfo } from '../../artifact/core/experiment.js';

/** How much the hypervisor intervened during a boot (issue 5's "exits per boot by reason"). */
export const hypervisorExitMetrics = {
  'vmm-exits': { label: 'Hypervisor exits until login', unit: 'exits', better: 'lower' },
} as const satisfies Record<string, MetricInfo>;

export interface ExitReport {
  /** Host time (ms since QEMU start) the hypervisor printed the report. */
  t: number;
  total: number;
  byReason: Record<string, number>;
}

/** One "exit counts <when>: total N reason=count ..." line (vmm/src/svm/exits.c), e.g. when = "so far". */
export interface ExitCountLine {
  when: string;
  total: number;
  byReason: Record<string, number>;
}

const exitCountLine = /vmm: exit counts ([^:]*): total (\d+)([^\r\n]*)\r?\n/;

function exitCounts(match: RegExpMatchArray): ExitCountLine {
  const byReason: Record<string, number> = {};
  for (const [, reason, count] of match[3]!.matchAll(/ (\w+)=(\d+)/g)) byReason[reason!] = Number(count);
  return { when: match[1]!, total: Number(match[2]), byReason };
}

/** Every complete exit-count line of a hypervisor console text, in order: the one parser of that format. Pure. */
export function parseExitCountLines(text: string): ExitCountLine[] {
  return [...text.matchAll(new RegExp(exitCountLine, 'g'))].map(exitCounts);
}

/**
 * The hypervisor's last "exit counts" report (it prints one every 10 s while the guest causes
 * exits) printed at or before `untilMs`, from its console transcript. Pure.
 */
export function lastExitReport(chunks: readonly TranscriptChunk[], untilMs: number): ExitReport | undefined {
  const text = chunks.map((c) => c.text).join('');
  let last: ExitReport | undefined;
  for (let from = 0; ;) {
    const found = findInTranscript(chunks, exitCountLine, from, text);
    if (!found || found.t > untilMs) return last;
    const { total, byReason } = exitCounts(found.match);
    last = { t: found.t, total, byReason };
    from = found.match.index + found.match[0].length;
  }
}
