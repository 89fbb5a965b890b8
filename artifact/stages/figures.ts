// SPDX-License-Identifier: MIT
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ExperimentAnalysis } from '../core/analysis.js';
import { balanceSpeed, runDiskProfile } from '../core/disk-profile.js';
import type { Experiment, FigureRow } from '../core/experiment.js';
import type { Manifest } from '../core/manifest.js';
import type { PaperValue } from '../core/paper-data.js';
import { renderSvg, specWithRows, svgToPng, type FigureProvenance } from '../report/render-figure.js';

export interface FigureSource {
  /** Series label in the figure: 'this run' in a run's report, the run id in a comparison. */
  series: string;
  analyses: ReadonlyMap<string, ExperimentAnalysis>;
  /** Where the numbers come from: the run's id, the commit its manifest records, and its disk profile. */
  run: FigureRun;
}

export interface FigureRun {
  id: string;
  commit: string;
  dirty: boolean;
  profile: string;
  /** 2011's disk:network balance on the sweep's axis (1/k), when the run measured the yardstick. */
  balanceSpeed?: number | undefined;
}

/** What a figure says of the run its rows come from, read from the run's manifest. */
export function figureRun(manifest: Manifest): FigureRun {
  return {
    id: manifest.runId,
    ...manifest.machine.git,
    profile: runDiskProfile(manifest),
    balanceSpeed: balanceSpeed(manifest.diskProfile),
  };
}

export function figureProvenance(experiment: Experiment, sources: readonly FigureSource[]): FigureProvenance {
  return {
    runs: sources.map((source) => {
      const configurations = source.analyses.get(experiment.id)?.configurations ?? {};
      return {
        runId: source.run.id,
        commit: source.run.commit,
        dirty: source.run.dirty,
        profile: source.run.profile,
        configurations: Object.entries(configurations)
          .filter(([, analysis]) => analysis.status === 'ran')
          .map(([configuration]) => configuration),
      };
    }),
  };
}

export interface RenderedFigure {
  experiment: Experiment;
  svg: string;
  rows: FigureRow[];
}

/**
 * Draws each experiment's figure from the sources' analyses (+ the paper's stated values), and
 * writes <id>.svg, <id>.png, <id>.vl.json (the spec) and <id>.data.json (its rows, one a line,
 * which the spec loads by URL, so a spec stays readable whatever the data's size) into every folder.
 * Each figure names its runs, their commits and configurations in a subtitle line and in the
 * spec's usermeta, so a copy of it still says where it came from.
 */
export async function renderFigures(
  experiments: readonly Experiment[],
  sources: readonly FigureSource[],
  paper: readonly PaperValue[] | null,
  folders: readonly string[],
): Promise<RenderedFigure[]> {
  const rendered: RenderedFigure[] = [];
  for (const experiment of experiments) {
    const rows = [
      ...sources.flatMap((source) => {
        const analysis = source.analyses.get(experiment.id);
        if (!analysis) throw new Error(`no analysis of ${experiment.id} for series '${source.series}'`);
        return experiment.figureData({ analysis, series: source.series, balanceSpeed: source.run.balanceSpeed });
      }),
      ...(paper ? experiment.paperRows(paper) : []),
    ];
    const spec = await specWithRows(experiment.specFile, rows, figureProvenance(experiment, sources));
    const svg = await renderSvg(spec);
    const png = svgToPng(svg);
    for (const folder of folders) {
      await mkdir(folder, { recursive: true });
      await writeFile(path.join(folder, `${experiment.id}.svg`), svg);
      await writeFile(path.join(folder, `${experiment.id}.png`), png);
      await writeFile(
        path.join(folder, `${experiment.id}.vl.json`),
        JSON.stringify({ ...spec, data: { url: `${experiment.id}.data.json` } }, null, 2) + '\n',
      );
      await writeFile(
        path.join(folder, `${experiment.id}.data.json`),
        `[\n${rows.map((row) => JSON.stringify(row)).join(',\n')}\n]\n`,
      );
    }
    rendered.push({ experiment, svg, rows });
  }
  return rendered;
}

/** The files renderFigures writes per experiment. */
const figureFiles = (experiment: Experiment) =>
  ['svg', 'png', 'vl.json', 'data.json'].map((ext) => `${experiment.id}.${ext}`);

/** Copies the given experiments' figures from a run's figures folder to `target` (no-op without one). */
export async function publishFigures(
  from: string,
  experiments: readonly Experiment[],
  target: string | undefined,
): Promise<void> {
  if (!target || experiments.length === 0) return;
  await mkdir(target, { recursive: true });
  for (const experiment of experiments) {
    for (const file of figureFiles(experiment)) await copyFile(path.join(from, file), path.join(target, file));
  }
}
