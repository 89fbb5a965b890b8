// SPDX-License-Identifier: MIT
// Benchmark report: aoe-parallel's goals (issue 21 item 3, server/bench/parallel-goals.ts; they
// need Figs 5 and 8 with vmm-aoe-cache-off and vmm-aoe-parallel-cache-on/-off) and the boot
// storm's checks (item 4, server/bench/storm-goals.ts; they need Fig. 14), judged from one run;
// goals without their rows read "not run". Prints the tables and the run's machine description.
// Reads the run folder only:
//   npx tsx server/bench/parallel-report.ts <run-id>
import { readManifest } from '../../artifact/core/manifest.js';
import { existingRun } from '../../artifact/core/run-folder.js';
import { goalsMarkdown, judgeGoal, type SpeedGoal } from '../../artifact/core/speed-goals.js';
import { readAnalyses } from '../../artifact/stages/analyse.js';
import { experiments } from '../../experiments/registry.js';
import { parallelServerGoals } from './parallel-goals.js';
import { bootStormGoals } from './storm-goals.js';

const [runId, ...extra] = process.argv.slice(2);
if (runId === undefined || extra.length > 0) throw new Error('usage: npx tsx server/bench/parallel-report.ts <run-id>');
const layout = await existingRun(runId);
const analyses = await readAnalyses(layout, experiments);
const table = (goals: readonly SpeedGoal[]) => goalsMarkdown(goals.map((goal) => judgeGoal(analyses, goal)));
console.log(`aoe-parallel goals (issue 21 item 3), run ${runId}\n\n${table(parallelServerGoals)}\n`);
console.log(`The boot storm's checks (issue 21 item 4), run ${runId}\n\n${table(bootStormGoals)}\n`);
const manifest = await readManifest(layout.manifest);
console.log(`machine: ${JSON.stringify(manifest.machine)}`);
