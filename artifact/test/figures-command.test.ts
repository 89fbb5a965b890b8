// SPDX-License-Identifier: MIT
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { experiments } from '../../experiments/registry.js';
import { figures } from '../commands/figures.js';
import type { ClaimVerdict } from '../core/claims.js';
import { runLayout } from '../core/paths.js';

const fixture = path.join(import.meta.dirname, 'fixtures', 'run-fixture-synthetic');

async function copyFixtureRun(): Promise<string> {
  const runsDir = await mkdtemp(path.join(os.tmpdir(), 'runs-'));
  await cp(fixture, path.join(runsDir, 'fixture-synthetic'), { recursive: true });
  return runsDir;
}

describe('npm run figures on a run folder (end to end, synthetic fixture)', () => {
  it('redraws every figure and the report (HTML, PDF, claims) from the folder alone', async () => {
    const runsDir = await copyFixtureRun();
    const layout = runLayout(path.join(runsDir, 'fixture-synthetic'));
    await figures('fixture-synthetic', { runsDir });

    for (const experiment of experiments) {
      for (const ext of ['svg', 'png', 'vl.json', 'data.json'])
        expect(existsSync(path.join(layout.figures, `${experiment.id}.${ext}`)), `${experiment.id}.${ext}`).toBe(true);
    }
    // The spec loads its rows from the data file beside it, and names where they came from.
    const spec = JSON.parse(await readFile(path.join(layout.figures, 'fig04-boot-time.vl.json'), 'utf8')) as {
      data: unknown;
      usermeta: { provenance: { runs: { runId: string }[] } };
    };
    expect(spec.data).toEqual({ url: 'fig04-boot-time.data.json' });
    expect(spec.usermeta.provenance.runs[0]!.runId).toBe('fixture-synthetic');
    const rows = JSON.parse(await readFile(path.join(layout.figures, 'fig04-boot-time.data.json'), 'utf8')) as {
      series: string;
    }[];
    expect(rows.some((row) => row.series === 'this run: OS boot' || row.series === 'this run')).toBe(true);
    const claims = JSON.parse(await readFile(path.join(layout.root, 'claims.json'), 'utf8')) as ClaimVerdict[];
    const verdict = (id: string) => claims.find((c) => c.id === id)!.verdict;
    // C3 covers Figs 4 and 5: the fixture's vmm-local boots within 10 % of local but has no Fig. 5 data.
    expect(verdict('C3')).toBe('not run');
    expect(claims.find((c) => c.id === 'C3')!.ours).toMatch(/^OS boot: [^;]*→ reproduced; seq-read: no data/);
    expect(verdict('C1')).toBe('not run'); // cache-on has no data
    expect(verdict('C4')).toBe('not run');

    const html = await readFile(layout.reportHtml, 'utf8');
    for (const text of [
      'Claims',
      'hypervisor AoE path not implemented yet (fixture)',
      'QEMU exited during boot (fixture)',
      'Fixture CPU (synthetic)',
      'not run',
      'linux-image-6.1.0-fixture-amd64 6.1.0',
    ]) {
      expect(html).toContain(text);
    }
    expect((await readFile(layout.reportPdf)).subarray(0, 5).toString()).toBe('%PDF-');
    // Redrawing does not mark an unfinished run as finished.
    expect(JSON.parse(await readFile(layout.manifest, 'utf8')).finishedAt).toBeNull();
  }, 120_000);

  it('rejects a malformed result file with a message naming it', async () => {
    const runsDir = await copyFixtureRun();
    const results = runLayout(path.join(runsDir, 'fixture-synthetic')).results;
    await writeFile(
      path.join(results, 'fig04-boot-time.json'),
      JSON.stringify({
        schema: 'vmm-netboot/result@1',
        experiment: 'fig04-boot-time',
        figure: 4,
        configurations: [{ configuration: 'local', status: 'ran' }],
      }),
    );
    await expect(figures('fixture-synthetic', { runsDir })).rejects.toThrow(
      /fig04-boot-time\.json does not match its schema[\s\S]*npm run reproduce -- --only fig04-boot-time/,
    );
  }, 60_000);

  it('names the known runs when the run id does not exist', async () => {
    const runsDir = await copyFixtureRun();
    await expect(figures('no-such-run', { runsDir })).rejects.toThrow(/Known runs: fixture-synthetic/);
  });
});
