// SPDX-License-Identifier: MIT
// Benchmark report: the hypervisor AoE path's speed goals (issue 18) judged from one run, and where
// the hypervisor's time goes per answer it received (vmm/bench/aoe-path-goals.ts). The run needs
// Figs 4, 5 and 8 with vmm-aoe-cache-on, vmm-aoe-jumbo-cache-on, guest-aoe-initiator,
// ipxe-sanboot-aoe and probe-aoe-cache-on; goals without their rows read "not run". Prints the
// tables and the run's machine description. Reads the run folder only:
//   npx tsx vmm/bench/aoe-path-report.ts <run-id>
import { experiments } from '../../experiments/registry.js';
import { readManifest } from '../../artifact/core/manifest.js';
import { existingRun } from '../../artifact/core/run-folder.js';
import { readAnalyses } from '../../artifact/stages/analyse.js';
import { judgeGoal } from '../../artifact/core/speed-goals.js';
import { aoePathGoals, aoePathMarkdown, frameBreakdowns } from './aoe-path-goals.js';

const [runId, ...extra] = process.argv.slice(2);
if (runId === undefined || extra.length > 0) throw new Error('usage: npx tsx vmm/bench/aoe-path-report.ts <run-id>');
const layout = await existingRun(runId);
const analyses = await readAnalyses(layout, experiments);
const judged = aoePathGoals.map((goal) => judgeGoal(analyses, goal));
console.log(`AoE path goals (issue 18), run ${runId}\n\n${aoePathMarkdown(judged, frameBreakdowns(analyses))}\n`);
const manifest = await readManifest(layout.manifest);
console.log(`machine: ${JSON.stringify(manifest.machine)}`);
