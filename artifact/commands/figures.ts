// SPDX-License-Identifier: MIT
import path from 'node:path';
import { readManifest } from '../core/manifest.js';
import { repoRoot } from '../core/paths.js';
import { listWithTimers } from '../core/progress.js';
import { existingRun } from '../core/run-folder.js';
import { redrawTasks } from './reproduce.js';

/** Redraws a run's figures and report from its folder alone (results/*.json, manifest.json). */
export async function figures(runId: string, where: { runsDir?: string; publishTo?: string } = {}): Promise<string> {
  const layout = await existingRun(runId, where.runsDir);
  const manifest = await readManifest(layout.manifest);
  await listWithTimers(redrawTasks(layout, manifest, { finishRun: false, publishTo: where.publishTo })).run();
  process.stdout.write(
    `Report: ${path.relative(repoRoot, layout.reportHtml)} and ${path.relative(repoRoot, layout.reportPdf)}\n`,
  );
  return layout.root;
}
