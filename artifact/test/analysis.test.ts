// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { analyseResult, scalar } from '../core/analysis.js';
import type { ResultFile } from '../core/results-schema.js';
import { diskThroughputMetrics } from '../../experiments/shared/disk-metrics.js';
import { statusTable } from '../report/html.js';

describe('analyseResult', () => {
  it('carries the repetitions measured while the host was busy into the analysis and the status table', () => {
    const activity = (repetition: number, disturbed?: string) => ({
      repetition,
      seconds: 60,
      load1: [1, 1] as [number, number],
      otherCpuShare: disturbed ? 0.4 : 0,
      busiestOthers: [],
      stealShare: 0,
      ...(disturbed ? { disturbed } : {}),
    });
    const result: ResultFile = {
      schema: 'vmm-netboot/result@1',
      experiment: 'fig05-disk-throughput',
      figure: 5,
      configurations: [
        {
          configuration: 'local',
          status: 'ran',
          repetitions: 2,
          measurements: [1, 2].map((repetition) => ({
            metric: 'seq-read',
            unit: 'MB/s',
            repetition,
            pass: 1,
            value: 40,
          })),
          hostActivity: [activity(1), activity(2, 'other processes used 40 % of a CPU (cc1)')],
        },
      ],
    };
    const analysis = analyseResult(result, diskThroughputMetrics);
    expect(analysis.configurations.local).toMatchObject({
      disturbed: [{ repetition: 2, reason: 'other processes used 40 % of a CPU (cc1)' }],
    });
    expect(statusTable(analysis)).toContain(
      'ran: 2 repetition(s); disturbed: repetition 2 (other processes used 40 % of a CPU (cc1))',
    );
  });

  it('reduces passes to the best per repetition before summarising repetitions', () => {
    const result: ResultFile = {
      schema: 'vmm-netboot/result@1',
      experiment: 'fig05-disk-throughput',
      figure: 5,
      configurations: [
        {
          configuration: 'local',
          status: 'ran',
          repetitions: 2,
          measurements: [
            { metric: 'seq-read', unit: 'MB/s', repetition: 1, pass: 1, value: 40 },
            { metric: 'seq-read', unit: 'MB/s', repetition: 1, pass: 2, value: 44 },
            { metric: 'seq-read', unit: 'MB/s', repetition: 2, pass: 1, value: 46 },
            { metric: 'seq-read', unit: 'MB/s', repetition: 2, pass: 2, value: 42 },
          ],
        },
        { configuration: 'vmm-aoe-cache-on', status: 'not-run', reason: 'hypervisor AoE path not implemented yet' },
      ],
    };
    const analysis = analyseResult(result, diskThroughputMetrics);
    const point = scalar(analysis, 'local', 'seq-read')!;
    expect(point.n).toBe(2);
    expect(point.mean).toBe(45); // best passes 44 and 46
    expect(analysis.configurations['vmm-aoe-cache-on']).toEqual({
      status: 'not-run',
      reason: 'hypervisor AoE path not implemented yet',
    });
    expect(scalar(analysis, 'vmm-aoe-cache-on', 'seq-read')).toBeUndefined();
  });

  it('rejects metrics the experiment does not define', () => {
    const result: ResultFile = {
      schema: 'vmm-netboot/result@1',
      experiment: 'fig05-disk-throughput',
      figure: 5,
      configurations: [
        {
          configuration: 'local',
          status: 'ran',
          repetitions: 1,
          measurements: [{ metric: 'bogus', unit: 'MB/s', repetition: 1, value: 1 }],
        },
      ],
    };
    expect(() => analyseResult(result, diskThroughputMetrics)).toThrow(/metric 'bogus'/);
  });
});
