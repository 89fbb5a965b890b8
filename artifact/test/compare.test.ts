// SPDX-License-Identifier: MIT
import { cp, mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compare, parameterDifferences, type RatioRow } from '../commands/compare.js';

const fixture = path.join(import.meta.dirname, 'fixtures', 'run-fixture-synthetic');

describe('npm run compare (synthetic fixture)', () => {
  it('puts the paper and a run side by side with a ratio table and one series per run', async () => {
    const runsDir = await mkdtemp(path.join(os.tmpdir(), 'runs-'));
    await cp(fixture, path.join(runsDir, 'fixture-synthetic'), { recursive: true });
    const outputDir = path.join(runsDir, 'comparison');
    await compare(['paper', 'fixture-synthetic'], { runsDir, outputDir });

    const { series, rows } = JSON.parse(await readFile(path.join(outputDir, 'ratios.json'), 'utf8')) as {
      series: string[];
      rows: RatioRow[];
    };
    expect(series).toEqual(['paper (2011 hardware)', 'fixture-synthetic']);
    const seqRead = rows.find(
      (r) => r.experiment === 'fig05-disk-throughput' && r.configuration === 'local' && r.metric === 'seq-read',
    )!;
    // Fixture best passes per repetition: 140, 142.8, 138.6 -> mean 140.47; paper 45.8.
    expect(seqRead.values[0]).toBe(45.8);
    expect(seqRead.values[1]).toBeCloseTo((140 + 142.8 + 138.6) / 3, 6);
    expect(seqRead.ratios[1]).toBeCloseTo((140 + 142.8 + 138.6) / 3 / 45.8, 6);
    // A metric the paper does not state has no paper value and so no ratio.
    const boot = rows.find(
      (r) => r.experiment === 'fig04-boot-time' && r.configuration === 'local' && r.metric === 'os-boot',
    )!;
    expect(boot.values[0]).toBeNull();
    expect(boot.ratios[1]).toBeNull();

    const svg = await readFile(path.join(outputDir, 'figures', 'fig05-disk-throughput.svg'), 'utf8');
    expect(svg).toContain('fixture-synthetic');
    expect(svg).toContain('paper (2011 hardware)');
    expect((await readFile(path.join(outputDir, 'report.pdf'))).subarray(0, 5).toString()).toBe('%PDF-');
  }, 120_000);

  it('names every testbed parameter in which two runs differ', () => {
    const parameters = (mtu: number, sizeMiB: number) => ({
      repetitions: 3,
      wire: { mtu, aoeSectorsPerFrame: 2 },
      fio: { sizeMiB },
    });
    expect(
      parameterDifferences([
        { id: 'a', parameters: parameters(1500, 32) },
        { id: 'b', parameters: parameters(1500, 32) },
      ]),
    ).toEqual([]);
    expect(
      parameterDifferences([
        { id: 'a', parameters: parameters(1500, 32) },
        { id: 'b', parameters: parameters(9000, 1000) },
      ]),
    ).toEqual(['fio.sizeMiB: 32 in a, 1000 in b', 'wire.mtu: 1500 in a, 9000 in b']);
    expect(
      parameterDifferences([
        { id: 'a', parameters: parameters(1500, 32) },
        { id: 'old', parameters: undefined },
      ]),
    ).toEqual(['a and old: one of them records no testbed parameters']);
  });

  it('needs two series', async () => {
    await expect(compare(['paper'])).rejects.toThrow(/at least two/);
  });
});
