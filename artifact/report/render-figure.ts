// SPDX-License-Identifier: MIT
import { readFile } from 'node:fs/promises';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';
import type { FigureRow } from '../core/experiment.js';

/** resvg draws no text without explicit fonts, so the PNG gets DejaVu from fonts-dejavu-core. */
const fontFiles = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
];

/** What a figure names as its origin: each run, its commit, its disk profile, and the configurations that ran in it. */
export interface FigureProvenance {
  runs: { runId: string; commit: string; dirty: boolean; profile: string; configurations: string[] }[];
}

/** The subtitle line naming the runs a figure was drawn from. */
export function provenanceLine(provenance: FigureProvenance): string {
  const runs = provenance.runs.map(
    (run) =>
      `run ${run.runId} (commit ${run.commit.slice(0, 10)}${run.dirty ? ', uncommitted changes' : ''}; disk profile ${run.profile}; ${run.configurations.join(', ') || 'nothing ran'})`,
  );
  return `drawn from ${runs.join('; ')}`;
}

/**
 * Loads a spec and puts the rows in place of its named data source; the provenance goes into the
 * spec's usermeta and, as a last subtitle line, into the drawing.
 */
export async function specWithRows(
  specFile: string,
  rows: readonly FigureRow[],
  provenance: FigureProvenance,
): Promise<vegaLite.TopLevelSpec> {
  const spec = JSON.parse(await readFile(specFile, 'utf8')) as vegaLite.TopLevelSpec & {
    data?: unknown;
    title?: { text: string; subtitle?: string | string[] };
  };
  if (!spec.data)
    throw new Error(`${specFile}: the spec needs a data entry ({"name": "rows"}) to receive the figure's rows`);
  if (typeof spec.title !== 'object')
    throw new Error(
      `${specFile}: the spec needs a title object ({"text": ..., "subtitle": ...}) to name its runs under`,
    );
  const subtitle = spec.title.subtitle === undefined ? [] : [spec.title.subtitle].flat();
  return {
    ...spec,
    title: { ...spec.title, subtitle: [...subtitle, provenanceLine(provenance)] },
    usermeta: { provenance },
    data: { values: rows.map((row) => ({ ...row })) },
  } as vegaLite.TopLevelSpec;
}

/** Vega's 'none' renderer gives a deterministic SVG without a browser or canvas. */
export async function renderSvg(spec: vegaLite.TopLevelSpec): Promise<string> {
  const compiled = vegaLite.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Rasterises at 2x with the DejaVu fonts; the pixels are what the PNG holds. */
export function rasterise(svg: string) {
  const resvg = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: 2 },
    font: { fontFiles, loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' },
  });
  return resvg.render();
}

export const svgToPng = (svg: string): Buffer => rasterise(svg).asPng();
