// SPDX-License-Identifier: MIT
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { experiments } from '../../experiments/registry.js';
import type { ExperimentAnalysis } from '../core/analysis.js';
import { configurationLabels, type ConfigurationId } from '../core/configurations.js';
import { paperSeriesLabel } from '../core/experiment.js';
import { writeJsonAtomic } from '../core/json-file.js';
import { readManifest, type Manifest } from '../core/manifest.js';
import { summarizeClientHardware } from '../core/client-hardware.js';
import { loadPaperValues, type PaperValue } from '../core/paper-data.js';
import { paths, repoRoot } from '../core/paths.js';
import { existingRun } from '../core/run-folder.js';
import { htmlToPdf } from '../report/pdf.js';
import { escapeHtml, figureSection, htmlPage, manifestTable, table } from '../report/html.js';
import { analyseRun } from '../stages/analyse.js';
import { figureRun, renderFigures, type FigureSource } from '../stages/figures.js';

/** The word that puts the paper's stated numbers in a comparison, as one more series. */
export const paperPseudoRun = 'paper';

export interface RatioRow {
  experiment: string;
  configuration: ConfigurationId;
  metric: string;
  unit: string;
  values: (number | null)[];
  /** Each run's mean divided by the first run's; null where either has no value. */
  ratios: (number | null)[];
}

/** Scalar means side by side, with each run's ratio to the first series (the paper's absolute numbers count). */
export function ratioRows(
  series: readonly { analyses?: ReadonlyMap<string, ExperimentAnalysis>; paper?: readonly PaperValue[] }[],
): RatioRow[] {
  const rows: RatioRow[] = [];
  for (const experiment of experiments) {
    for (const configuration of Object.keys(experiment.configurations) as ConfigurationId[]) {
      for (const [metric, info] of Object.entries(experiment.metrics)) {
        const values = series.map((s) => {
          if (s.paper)
            return (
              s.paper.find(
                (v) =>
                  v.figure === experiment.figure &&
                  v.configuration === configuration &&
                  v.metric === metric &&
                  v.kind === 'absolute',
              )?.value ?? null
            );
          const entry = s.analyses?.get(experiment.id)?.configurations[configuration];
          return entry?.status === 'ran'
            ? (entry.metrics[metric]?.points.find((p) => p.x === null)?.mean ?? null)
            : null;
        });
        if (values.every((v) => v === null)) continue;
        const first = values[0] ?? null;
        rows.push({
          experiment: experiment.id,
          configuration,
          metric,
          unit: info.unit,
          values,
          ratios: values.map((v) => (v === null || first === null || first === 0 ? null : v / first)),
        });
      }
    }
  }
  return rows;
}

/** Which testbed each run measured: on a hardware testbed the hypervisor always came by PXE. */
function runsTable(sources: readonly { series: string; manifest?: Manifest }[]): string {
  return table(
    ['Run', 'Testbed', 'Client'],
    sources.map(({ series, manifest }) => [
      series,
      manifest?.hardwareTestbed === undefined
        ? 'emulated (QEMU TCG PCs on one host)'
        : `hardware "${manifest.hardwareTestbed.name}" (the hypervisor loaded by PXE in every VMM configuration)`,
      manifest?.clientHardware === undefined ? 'not reported' : summarizeClientHardware(manifest.clientHardware),
    ]),
  );
}

/** Leaves of a parameters object as dotted paths: {wire: {mtu: 1500}} -> ['wire.mtu', '1500']. */
function leaves(value: unknown, prefix = ''): [string, string][] {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([key, inner]) => leaves(inner, prefix ? `${prefix}.${key}` : key));
  }
  return [[prefix, JSON.stringify(value)]];
}

/**
 * The testbed parameters (the manifest's) in which each run differs from the first: numbers that
 * moved with them are not comparable as they are. A run made before parameters were recorded
 * differs in all of them. Pure.
 */
export function parameterDifferences(
  runs: readonly { id: string; parameters: Record<string, unknown> | undefined }[],
): string[] {
  const [first, ...others] = runs;
  if (first === undefined) return [];
  const base = new Map(leaves(first.parameters ?? {}));
  return others.flatMap((run) => {
    if (first.parameters === undefined || run.parameters === undefined)
      return [`${first.id} and ${run.id}: one of them records no testbed parameters`];
    const theirs = new Map(leaves(run.parameters));
    const names = [...new Set([...base.keys(), ...theirs.keys()])].sort();
    return names
      .filter((name) => base.get(name) !== theirs.get(name))
      .map(
        (name) => `${name}: ${base.get(name) ?? 'absent'} in ${first.id}, ${theirs.get(name) ?? 'absent'} in ${run.id}`,
      );
  });
}

/**
 * Side-by-side report of several runs (and optionally the paper): the same figures with one
 * series per run, a ratio table, and each machine's manifest. Written to data/comparisons/<ids>/.
 */
export async function compare(
  ids: readonly string[],
  where: { runsDir?: string; outputDir?: string } = {},
): Promise<string> {
  if (ids.length < 2)
    throw new Error(
      `compare needs at least two runs (or '${paperPseudoRun}' and a run), e.g. npm run compare -- paper <run-id>`,
    );
  const paper = await loadPaperValues();
  const sources: (FigureSource & { manifest?: Awaited<ReturnType<typeof readManifest>> })[] = [];
  for (const id of ids) {
    if (id === paperPseudoRun) continue;
    const layout = await existingRun(id, where.runsDir);
    const manifest = await readManifest(layout.manifest);
    sources.push({
      series: id,
      analyses: await analyseRun(layout, experiments),
      manifest,
      run: { ...figureRun(manifest), id },
    });
  }
  const outputDir = where.outputDir ?? path.join(paths.comparisons, ids.join('__'));
  const rendered = await renderFigures(experiments, sources, ids.includes(paperPseudoRun) ? paper : null, [
    path.join(outputDir, 'figures'),
  ]);
  const series = ids.map((id) =>
    id === paperPseudoRun ? { paper } : { analyses: sources.find((s) => s.series === id)!.analyses },
  );
  const ratios = ratioRows(series);
  await writeJsonAtomic(path.join(outputDir, 'ratios.json'), {
    series: ids.map((id) => (id === paperPseudoRun ? paperSeriesLabel : id)),
    rows: ratios,
  });
  const fmt = (v: number | null) => (v === null ? '—' : v.toPrecision(3));
  const ratioTable = table(
    [
      'Experiment',
      'Configuration',
      'Metric',
      ...ids.map((id) => `${id} (mean)`),
      ...ids.slice(1).map((id) => `${id} / ${ids[0]}`),
    ],
    ratios.map((r) => [
      r.experiment,
      configurationLabels[r.configuration],
      `${r.metric} (${r.unit})`,
      ...r.values.map(fmt),
      ...r.ratios.slice(1).map(fmt),
    ]),
  );
  const differences = parameterDifferences(sources.map((s) => ({ id: s.series, parameters: s.manifest?.parameters })));
  for (const difference of differences)
    process.stdout.write(`warning: the runs' testbed parameters differ: ${difference}\n`);
  const html = path.join(outputDir, 'report.html');
  await writeFile(
    html,
    htmlPage(`Comparison: ${ids.join(' vs ')}`, [
      `<p>Each series is one run (or the paper's stated numbers, 2011 hardware). Ratios divide each mean by the first series' mean; '—' where either has no value.</p>`,
      ...(differences.length === 0
        ? []
        : [
            `<p class="warning">The runs' testbed parameters differ, so their numbers are not comparable as they are:</p><ul class="warning">${differences.map((d) => `<li>${escapeHtml(d)}</li>`).join('')}</ul>`,
          ]),
      `<h2>Runs</h2>${runsTable(sources)}`,
      `<h2>Ratios</h2>${ratioTable}`,
      `<h2>Figures</h2>`,
      ...rendered.map((figure) => figureSection(figure, '')),
      ...sources.map((s) => `<h2>Machine of ${s.series}</h2>${manifestTable(s.manifest!)}`),
    ]),
  );
  await htmlToPdf(html, path.join(outputDir, 'report.pdf'));
  process.stdout.write(`Comparison: ${path.relative(repoRoot, html)} and report.pdf\n`);
  return outputDir;
}
