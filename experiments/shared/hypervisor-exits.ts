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

/**
 * The hypervisor's last "exit counts" report (it prints one every 10 s while the guest causes
 * exits) printed at or before `untilMs`, from its console transcript. Pure.
 */
export function lastExitReport(chunks: readonly TranscriptChunk[], untilMs: number): ExitReport | undefined {
  const text = chunks.map((c) => c.text).join('');
  const pattern = /vmm: exit counts [^:]*: total (\d+)([^\r\n]*)\r?\n/;
  let last: ExitReport | undefined;
  for (let from = 0; ;) {
    const found = findInTranscript(chunks, pattern, from, text);
    if (!found || found.t > untilMs) return last;
    const byReason: Record<string, number> = {};
    for (const [, reason, count] of found.match[2]!.matchAll(/ (\w+)=(\d+)/g)) byReason[reason!] = Number(count);
    last = { t: found.t, total: Number(found.match[1]), byReason };
    from = found.match.index + found.match[0].length;
  }
}
