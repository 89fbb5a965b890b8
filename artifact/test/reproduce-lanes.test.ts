// SPDX-License-Identifier: MIT
// reproduce --jobs 2 on the emulated testbed: two client PCs at once, each pinned to CPUs of its
// own and in its own namespace, both measured, the lanes in the manifest.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { readManifest } from '../core/manifest.js';
import { runLayout } from '../core/paths.js';
import type { ResultFile } from '../core/results-schema.js';
import { runCli } from './support/cli.js';
import { scratchOutputDir } from './support/output-dir.js';

const runId = 'lanes-e2e';

describe('npm run reproduce -- --jobs 2', () => {
  test(
    'two boot sessions run side by side in two lanes (Fig. 5, local and VMM + local, smoke size)',
    async () => {
      const output = await scratchOutputDir('netboot-lanes');
      const run = await runCli(
        [
          'reproduce',
          '--smoke',
          '--jobs',
          '2',
          '--only',
          'fig05',
          '--configurations',
          'local',
          '--configurations',
          'vmm-local',
          '--run-id',
          runId,
        ],
        { NETBOOT_OUTPUT_DIR: output },
      );
      expect(run.code, run.output).toBe(0);
      const layout = runLayout(path.join(output, 'runs', runId));
      const result = JSON.parse(
        await readFile(path.join(layout.results, 'fig05-disk-throughput.json'), 'utf8'),
      ) as ResultFile;
      for (const configuration of ['local', 'vmm-local']) {
        const entry = result.configurations.find((c) => c.configuration === configuration)!;
        expect(entry.status, JSON.stringify(entry)).toBe('ran');
      }
      // Each client PC ran under taskset on one CPU of its own, and the two sessions overlapped.
      const cpus: string[] = [];
      const spans: { start: number; end: number }[] = [];
      for (const configuration of ['local', 'vmm-local']) {
        const session = path.join(layout.raw, 'sessions', configuration, 'rep-1');
        cpus.push(/taskset --cpu-list (\S+)/.exec(await readFile(path.join(session, 'client.cmdline'), 'utf8'))![1]!);
        const start = (
          JSON.parse(await readFile(path.join(session, 'client.start.json'), 'utf8')) as { epochMs: number }
        ).epochMs;
        const log = await readFile(path.join(layout.logs, `session-${configuration}.log`), 'utf8');
        const end = Date.parse(/^(\S+) session \S+: boot \d+ s/m.exec(log)![1]!);
        spans.push({ start, end });
      }
      expect(new Set(cpus).size).toBe(2);
      expect(spans[0]!.start < spans[1]!.end && spans[1]!.start < spans[0]!.end).toBe(true);
      expect((await readManifest(layout.manifest)).parameters).toMatchObject({
        lanes: { clientsAtOnce: 2, cpus: cpus.sort(), bootTimesAlone: true },
      });
    },
    30 * 60_000,
  );
});
