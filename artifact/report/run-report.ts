// SPDX-License-Identifier: MIT
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ExperimentAnalysis } from '../core/analysis.js';
import { evaluateClaims, type ApplicationTests } from '../core/claims.js';
import { writeJsonAtomic } from '../core/json-file.js';
import type { Manifest } from '../core/manifest.js';
import type { PaperValue } from '../core/paper-data.js';
import type { RunLayout } from '../core/paths.js';
import type { RenderedFigure } from '../stages/figures.js';
import { StepLedger, configurationWallTimes } from '../core/step-ledger.js';
import {
  claimsTable,
  figureSection,
  htmlPage,
  manifestTable,
  paperValuesList,
  statusTable,
  testbedNote,
  wallTimeTable,
} from './html.js';
import { htmlToPdf } from './pdf.js';

/** report.html, report.pdf and claims.json of one run, from its analyses and rendered figures (and Fig. 9's tests, which C7 judges one by one). */
export async function writeRunReport(
  layout: RunLayout,
  manifest: Manifest,
  analyses: ReadonlyMap<string, ExperimentAnalysis>,
  figures: readonly RenderedFigure[],
  paper: readonly PaperValue[],
  applicationTests: ApplicationTests,
): Promise<void> {
  const claims = evaluateClaims(analyses, applicationTests);
  await writeJsonAtomic(path.join(layout.root, 'claims.json'), claims);
  const sections = [
    `<p>Reproduction of Omote, Shinagawa, Kato: "A VMM-based Transparent Network Boot System", IPSJ Journal 2011, on the embedded QEMU testbed. ` +
      `Bars and lines marked "this run" were measured in this run; "paper (2011 hardware)" marks numbers the paper's text states (its figure images are lost, so other bars have no paper value). ` +
      `"not run" means the configuration has no data in this run; the status table under each figure says why.</p>`,
    `<h2>Claims</h2>${claimsTable(claims)}`,
    `<h2>Figures</h2>`,
    ...figures.map((figure) =>
      figureSection(
        figure,
        statusTable(analyses.get(figure.experiment.id)!) +
          paperValuesList(paper, figure.experiment.figure) +
          (manifest.options.testbed === 'emulated' ? testbedNote(figure.experiment) : ''),
      ),
    ),
    `<h2>Machine and run</h2>${manifestTable(manifest)}`,
    `<h2>Wall time</h2>${wallTimeTable(configurationWallTimes(StepLedger.open(layout.ledger).steps()))}`,
  ];
  await writeFile(layout.reportHtml, htmlPage(`Reproduction report: run ${manifest.runId}`, sections));
  await htmlToPdf(layout.reportHtml, layout.reportPdf);
}
