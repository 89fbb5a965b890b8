// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { fig04BootTime } from '../../experiments/fig04-boot-time/experiment.js';
import { fig08AoeRtt } from '../../experiments/fig08-aoe-rtt/experiment.js';
import type { ExperimentAnalysis } from '../core/analysis.js';
import { loadPaperValues } from '../core/paper-data.js';
import { summarise } from '../core/statistics.js';
import { rasterise, renderSvg, specWithRows } from '../report/render-figure.js';
import { figureProvenance } from '../stages/figures.js';

/** Fixture analysis: local measured (3 repetitions), the VMM configurations not run. */
const fixtureBootAnalysis: ExperimentAnalysis = {
  experiment: 'fig04-boot-time',
  figure: 4,
  configurations: {
    local: {
      status: 'ran',
      repetitions: 3,
      metrics: {
        'os-boot': { unit: 's', points: [{ x: null, ...summarise([26, 27, 28]) }] },
        'total-boot': { unit: 's', points: [{ x: null, ...summarise([36, 37, 38]) }] },
      },
    },
    'vmm-local': { status: 'not-run', reason: 'hypervisor local-disk boot not implemented yet' },
    'vmm-aoe-cache-on': { status: 'not-run', reason: 'hypervisor AoE path not implemented yet' },
    'vmm-aoe-cache-off': { status: 'failed', reason: 'QEMU exited' },
  },
};

/** Dark pixels in an RGBA buffer: text and marks; a blank white image has none. */
function darkPixels(svg: string): number {
  const pixels = rasterise(svg).pixels;
  let dark = 0;
  for (let i = 0; i < pixels.length; i += 4)
    if (pixels[i]! < 100 && pixels[i + 1]! < 100 && pixels[i + 2]! < 100) dark++;
  return dark;
}

describe('figure generation', () => {
  it('draws this run with error bars, not-run markers and the paper values labelled as such', async () => {
    const rows = [
      ...fig04BootTime.figureData({ analysis: fixtureBootAnalysis, series: 'this run' }),
      ...fig04BootTime.paperRows(await loadPaperValues()),
    ];
    const measured = rows.find((r) => r.status === 'measured' && r.panel === 'OS boot (s)')!;
    expect(measured).toMatchObject({ group: 'Local disk', value: 27 });
    expect(measured.ciLow).toBeLessThan(27);
    expect(
      rows
        .filter((r) => r.status === 'paper')
        .map((r) => r.value)
        .sort(),
    ).toEqual([-14, -8, 24, 30].sort());
    expect(rows.some((r) => r.status === 'failed' && r.group === 'VMM + AoE, server cache off')).toBe(true);

    const provenance = figureProvenance(fig04BootTime, [
      {
        series: 'this run',
        analyses: new Map([['fig04-boot-time', fixtureBootAnalysis]]),
        run: { id: 'quick-1', commit: '0123456789abcdef', dirty: false, profile: 'emulated' },
      },
    ]);
    const spec = await specWithRows(fig04BootTime.specFile, rows, provenance);
    // The figure names where it came from, in its spec and in the drawing.
    expect((spec as { usermeta?: unknown }).usermeta).toEqual({
      provenance: {
        runs: [
          {
            runId: 'quick-1',
            commit: '0123456789abcdef',
            dirty: false,
            profile: 'emulated',
            configurations: ['local'],
          },
        ],
      },
    });
    const svg = await renderSvg(spec);
    expect(svg).toContain('drawn from run quick-1 (commit 0123456789; disk profile emulated; local)');
    expect(svg).toContain('mark-rect'); // bars
    expect(svg).toContain('mark-rule'); // 95 % CI whiskers
    for (const label of [
      'Fig. 4: OS boot time',
      'OS boot (s)',
      'OS boot: difference to Local disk (s)',
      'paper (2011 hardware)',
      'this run',
      'not run',
      'failed',
      'VMM + AoE, server cache on',
    ]) {
      expect(svg).toContain(label);
    }
  });

  it('renders the text into the PNG (fonts are loaded explicitly)', async () => {
    const rows = fig04BootTime.figureData({ analysis: fixtureBootAnalysis, series: 'this run' });
    const svg = await renderSvg(await specWithRows(fig04BootTime.specFile, rows, { runs: [] }));
    const withoutText = svg.replace(/<text[^>]*>[^<]*<\/text>/g, '');
    expect(withoutText.length).toBeLessThan(svg.length);
    // Text accounts for many dark pixels: titles, labels, legend.
    expect(darkPixels(svg) - darkPixels(withoutText)).toBeGreaterThan(2000);
  });

  it('shows a series figure with no data as not run', async () => {
    const analysis: ExperimentAnalysis = {
      experiment: 'fig08-aoe-rtt',
      figure: 8,
      configurations: {
        'vmm-aoe-cache-on': { status: 'not-run', reason: 'hypervisor per-packet RTT trace not implemented yet' },
        'vmm-aoe-cache-off': { status: 'not-run', reason: 'hypervisor per-packet RTT trace not implemented yet' },
      },
    };
    const rows = fig08AoeRtt.figureData({ analysis, series: 'this run' });
    expect(rows.every((r) => r.status === 'not run' && r.value === null)).toBe(true);
    const svg = await renderSvg(await specWithRows(fig08AoeRtt.specFile, rows, { runs: [] }));
    expect(svg).toContain('not run: VMM + AoE, server cache off: this run');
  });
});
