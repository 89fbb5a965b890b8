// SPDX-License-Identifier: MIT
import path from 'node:path';
import { experiments as allExperiments, selectExperiments } from '../../experiments/registry.js';
import { applicationTests } from '../../experiments/fig09-application-benchmark/experiment.js';
import { ensureDebianImage, ensureWindowsImage, type DebianVariant } from '../images/index.js';
import type { ConfigurationPlan, Experiment } from '../core/experiment.js';
import { isDiskSweepConfiguration, type ConfigurationId } from '../core/configurations.js';
import { testbedParameters } from '../../experiments/shared/testbed-parameters.js';
import { measureYardstick } from '../../experiments/shared/disk-profile-yardstick.js';
import { capabilitiesBuiltBy, type CapabilityId } from '../core/capabilities.js';
import { writeManifest, type GuestImage, type Manifest } from '../core/manifest.js';
import type { RunOptions } from '../core/options.js';
import { loadPaperValues, type PaperValue } from '../core/paper-data.js';
import { paths, repoRoot, type RunLayout } from '../core/paths.js';
import { listWithTimers } from '../core/progress.js';
import { openRun } from '../core/run-folder.js';
import { StepLedger } from '../core/step-ledger.js';
import { stepLogger } from '../core/step-log.js';
import { checkTestbed, openTestbed } from '../core/testbed-choice.js';
import { recordClientHardware } from '../core/client-hardware.js';
import { hashSourceTree } from '../core/tree-hash.js';
import { writeRunReport } from '../report/run-report.js';
import { analyseRun } from '../stages/analyse.js';
import { buildComponent, buildComponents } from '../stages/build.js';
import { doctorChecks } from '../stages/doctor.js';
import { resolveDiskProfile } from '../stages/disk-profile.js';
import { describeDiskProfile, type DiskProfileRecord } from '../core/disk-profile.js';
import { describeUnit, notRunHere, planExperiments } from '../stages/experiments.js';
import { figureRun, publishFigures, renderFigures, type RenderedFigure } from '../stages/figures.js';
import type { ExperimentAnalysis } from '../core/analysis.js';
import type { ListrTask } from 'listr2';

export interface ReproduceRequest {
  options: RunOptions;
  runId?: string;
  fresh: boolean;
  /** --hardware: the hardware testbed's description (default data/testbeds/hardware.json). */
  hardwareFile?: string;
}

/** doctor -> build -> provision -> experiments -> analyse -> figures -> report, resumable. */
export async function reproduce(request: ReproduceRequest): Promise<string> {
  const hardware = checkTestbed(
    request.options.testbed,
    allExperiments.map((e) => e.id),
    request.hardwareFile,
  );
  const selected = selectExperiments(request.options.only).filter(
    (experiment) => hardware === undefined || hardware.experiments.includes(experiment.id),
  );
  if (selected.length === 0)
    throw new Error(
      `none of the selected experiments is listed in ${request.hardwareFile ?? 'the hardware description'} (its experiments: ${hardware?.experiments.join(', ')})`,
    );
  const run = await openRun({ ...request, parameters: testbedParameters(request.options) });
  const { layout } = run;
  const manifest = run.manifest;
  if (hardware !== undefined) {
    manifest.hardwareTestbed = hardware;
    await writeManifest(layout.manifest, manifest);
  }
  const ledger = StepLedger.open(layout.ledger);
  const pipelineLog = stepLogger(layout.logs, 'pipeline');
  pipelineLog(`${run.resumed ? 'resuming' : 'starting'} run ${run.runId} with ${JSON.stringify(request.options)}`);
  process.stdout.write(
    `${run.resumed ? 'Resuming' : 'Starting'} run ${run.runId} (folder ${path.relative(repoRoot, layout.root)})\n`,
  );
  let guestImages: GuestImage[] = manifest.guestImages;
  let diskProfile: DiskProfileRecord | undefined = manifest.diskProfile;
  const blocked = new Map<CapabilityId, string>();

  const list = listWithTimers([
    {
      title: 'doctor: check the host',
      task: (_, task) => {
        const checks = doctorChecks();
        const log = stepLogger(layout.logs, 'doctor');
        for (const check of checks) log(`${check.ok ? 'ok  ' : 'FAIL'} ${check.name}: ${check.detail}`);
        const fatal = checks.filter((c) => !c.ok && c.fatal);
        if (fatal.length > 0)
          throw new Error(`host not ready:\n${fatal.map((c) => `  ${c.name}: ${c.detail}`).join('\n')}`);
        task.output =
          checks
            .filter((c) => !c.ok)
            .map((c) => `warning: ${c.name}: ${c.detail}`)
            .join('\n') || 'all checks passed';
      },
    },
    {
      title: 'build: hypervisor and server',
      task: (_, task) =>
        task.newListr(
          buildComponents.map((component) => ({
            title: `make -C ${component}`,
            task: async (_ctx, sub) => {
              const log = stepLogger(layout.logs, `build-${component}`);
              try {
                const outcome = await ledger.run(
                  `build/${component}`,
                  hashSourceTree(path.join(repoRoot, component)),
                  async () => {
                    sub.output = await buildComponent(component, log);
                  },
                );
                if (outcome === 'skipped')
                  sub.skip(`make -C ${component}: sources unchanged since this run built them`);
              } catch (error) {
                // The run goes on without this component: what needs it is reported 'not run', and
                // binaries left from an earlier build are not used in its place.
                const reason = `${component} did not build in this run (see logs/build-${component}.log)`;
                for (const capability of capabilitiesBuiltBy[component]) blocked.set(capability, reason);
                pipelineLog(`${reason}: ${(error as Error).message}`);
                sub.skip(`${reason}; configurations that need it are not run`);
              }
            },
          })),
        ),
    },
    {
      title: 'provision: guest images (Debian 12; Windows if an ISO is given)',
      task: async (_, task) => {
        const log = stepLogger(layout.logs, 'provision');
        const built: GuestImage[] = [];
        for (const variant of imageVariantsFor(selected, { options: request.options, testbed })) {
          try {
            const installer = request.options.installer ?? 'debootstrap';
            const image = await ensureDebianImage({
              variant,
              installer,
              onProgress: (step) => ((task.output = `${variant}: ${step}`), log(`${variant}: ${step}`)),
            });
            built.push({
              variant,
              installer,
              path: image.path,
              format: 'raw',
              packages: image.manifest.packages.map((p) => ({ name: p.name, version: p.version })),
            });
            log(
              `${variant} image ${image.path} (kernel ${image.manifest.kernelVersion}, ${image.manifest.packages.length} packages)`,
            );
          } catch (error) {
            // Every configuration boots the stock image; only the alternative's variant may be missing.
            if (variant === 'stock') throw error;
            const reason = `the ${variant} image did not build in this run (see logs/provision.log)`;
            blocked.set(variantCapability[variant], reason);
            log(`${reason}: ${(error as Error).message}`);
          }
        }
        guestImages = built;
        manifest.guestImages = guestImages;
        await writeManifest(layout.manifest, manifest);
        // Without an ISO the skip is reported whatever was selected; an install (hours) only when a Windows row will be attempted.
        const windowsWanted =
          request.options.windowsIso === undefined ||
          attemptedNeed(selected, { options: request.options, testbed }, 'windows-image');
        const windows = windowsWanted
          ? await windowsImageStatus(request.options, (step) => ((task.output = step), log(step)))
          : { summary: 'not needed by the selected configurations' };
        if (windows.blockedBecause !== undefined) blocked.set('windows-image', windows.blockedBecause);
        log(`Windows image: ${windows.summary}`);
        task.output = [...built.map((image) => path.basename(image.path)), `Windows: ${windows.summary}`].join(', ');
      },
    },
    {
      title: 'disk profile: the hard disk model and its scale',
      task: async (_, task) => {
        const log = stepLogger(layout.logs, 'disk-profile');
        diskProfile = await resolveDiskProfile({
          layout,
          options: request.options,
          guestImages,
          log,
          progress: (text) => (task.output = text),
          sweepPlanned: attemptsDiskSweep(selected, { options: request.options, testbed }),
          measureYardstick,
        });
        manifest.diskProfile = diskProfile;
        await writeManifest(layout.manifest, manifest);
        task.output = describeDiskProfile(diskProfile);
        log(`disk profile ${describeDiskProfile(diskProfile)}`);
      },
    },
    {
      title: 'experiments',
      task: (_, task) => {
        const plan = planExperiments(selected, {
          layout,
          ledger,
          options: request.options,
          testbed,
          guestImages,
          diskProfile,
          blocked,
          progress: () => undefined,
        });
        const repetitions = Array.from({ length: request.options.reps }, (_unused, index) => index + 1);
        return task.newListr([
          ...repetitions.map((repetition): ListrTask<unknown> => ({
            title: `repetition ${repetition}/${request.options.reps}`,
            task: (_ctx, round) =>
              round.newListr(
                plan.unitsOf(repetition).map((unit): ListrTask<unknown> => ({
                  title: describeUnit(unit),
                  task: async (_unitCtx, sub) => plan.run(unit, repetition, (text) => (sub.output = text)),
                })),
                // With --jobs N the units start together and wait for a lane (planExperiments).
                { concurrent: (request.options.jobs ?? 1) > 1 },
              ),
          })),
          {
            title: 'results per experiment',
            task: async (_ctx, sub) => {
              const results = await plan.finish();
              sub.output = results
                .map(
                  (result) =>
                    `${result.experiment}: ${result.configurations.map((c) => `${c.configuration} ${c.status === 'ran' ? 'ran' : `${c.status} (${c.reason})`}`).join('; ')}`,
                )
                .join('\n');
            },
          },
        ]);
      },
    },
    {
      title: "manifest: the client's hardware",
      task: async (_, task) => {
        const found = await recordClientHardware(layout, manifest);
        task.output = found ?? 'no benchmark job ran, so the guest reported none';
        pipelineLog(`client hardware: ${task.output}`);
      },
    },
    // figures/ holds the embedded testbed's figures; a hardware run's stay in its run folder.
    ...redrawTasks(layout, manifest, {
      finishRun: true,
      publishTo: hardware === undefined ? paths.figures : undefined,
    }),
  ]);
  const { testbed, close } = await openTestbed(hardware);
  try {
    await list.run();
  } catch (error) {
    pipelineLog(`stopped: ${(error as Error).message}`);
    throw new Error(
      `${(error as Error).message}\nThe run folder keeps what finished; run the same command again to resume run ${run.runId}.`,
    );
  } finally {
    await close();
    await run.release();
  }
  pipelineLog('finished');
  return layout.root;
}

/**
 * The Windows image when an ISO is given; otherwise, or when it cannot be made, why the Windows
 * rows cannot run (the documented skip, or what went wrong), which blocks 'windows-image'.
 */
async function windowsImageStatus(
  options: RunOptions,
  progress: (step: string) => void,
): Promise<{ summary: string; blockedBecause?: string }> {
  try {
    const outcome = await ensureWindowsImage({
      windowsIso: options.windowsIso,
      windowsProductKeyFile: options.windowsProductKeyFile,
      onProgress: progress,
    });
    return outcome.status === 'ready'
      ? { summary: outcome.path }
      : { summary: outcome.message, blockedBecause: outcome.message };
  } catch (error) {
    return { summary: 'failed', blockedBecause: (error as Error).message };
  }
}

/** The capability each image variant beyond stock provides to the configurations that boot it. */
const variantCapability = { 'aoe-root': 'aoe-root-image', 'kvm-host': 'kvm-host-image' } as const satisfies Record<
  Exclude<DebianVariant, 'stock'>,
  CapabilityId
>;

/** Whether a configuration this run will attempt needs `capability`. */
function attemptedNeed(
  selected: readonly Experiment[],
  run: Parameters<typeof notRunHere>[1],
  capability: CapabilityId,
): boolean {
  return selected.some((experiment) =>
    (Object.entries(experiment.configurations) as [ConfigurationId, ConfigurationPlan | undefined][]).some(
      ([configuration, plan]) => plan?.needs.includes(capability) && notRunHere(configuration, run) === undefined,
    ),
  );
}

/** Whether this run will attempt a point of the disk-speed sweep (Figs 12, 13). */
function attemptsDiskSweep(selected: readonly Experiment[], run: Parameters<typeof notRunHere>[1]): boolean {
  return selected.some((experiment) =>
    (Object.keys(experiment.configurations) as ConfigurationId[]).some(
      (configuration) => isDiskSweepConfiguration(configuration) && notRunHere(configuration, run) === undefined,
    ),
  );
}

/** The stock image always; a variant when a configuration this run will attempt needs it. */
function imageVariantsFor(selected: readonly Experiment[], run: Parameters<typeof notRunHere>[1]): DebianVariant[] {
  const variants = Object.entries(variantCapability)
    .filter(([, capability]) => attemptedNeed(selected, run, capability))
    .map(([variant]) => variant as DebianVariant);
  return ['stock', ...variants];
}

/**
 * analyse -> figures -> report from the run folder alone (also what `npm run figures` runs).
 * `publishTo` also gets the figures of the experiments the run measured (the repository's figures/
 * for real runs).
 */
export function redrawTasks(
  layout: RunLayout,
  manifest: Manifest,
  { finishRun, publishTo }: { finishRun: boolean; publishTo?: string },
): ListrTask<unknown>[] {
  let analyses: Map<string, ExperimentAnalysis>;
  let figures: RenderedFigure[];
  let paper: PaperValue[];
  const log = stepLogger(layout.logs, 'redraw');
  return [
    {
      title: 'analyse: mean, sd, 95 % CI',
      task: async () => {
        analyses = await analyseRun(layout, allExperiments);
        log(`analysed ${analyses.size} experiments into ${layout.analysis}`);
      },
    },
    {
      title: 'figures: SVG and PNG',
      task: async (_, task) => {
        paper = await loadPaperValues();
        figures = await renderFigures(
          allExperiments,
          [{ series: 'this run', analyses, run: figureRun(manifest) }],
          paper,
          [layout.figures],
        );
        // Only the figures this run measured replace the published ones: a run of one figure
        // leaves the others as the last run that measured them drew them.
        const measured = publishTo ? selectExperiments(manifest.options.only) : [];
        await publishFigures(layout.figures, measured, publishTo);
        task.output = `${figures.length} figures in ${path.relative(repoRoot, layout.figures)}${measured.length ? `; ${measured.length} published to ${path.relative(repoRoot, publishTo!)}/` : ''}`;
        log(task.output);
      },
    },
    {
      title: 'report: HTML and PDF',
      task: async (_, task) => {
        if (finishRun) {
          manifest.finishedAt = new Date().toISOString();
          await writeManifest(layout.manifest, manifest);
        }
        await writeRunReport(layout, manifest, analyses, figures, paper, applicationTests);
        task.output = path.relative(repoRoot, layout.reportPdf);
        log(`report written: ${layout.reportHtml}, ${layout.reportPdf}`);
      },
    },
  ];
}
