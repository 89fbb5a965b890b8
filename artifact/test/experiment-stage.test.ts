import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Experiment, Runner } from '../core/experiment.js';
import type { RunOptions } from '../core/options.js';
import { runLayout } from '../core/paths.js';
import { StepLedger } from '../core/step-ledger.js';
import { runExperiment } from '../stages/experiments.js';

const options: RunOptions = { quick: true, reps: 2, only: null, testbed: 'emulated' };

/** A fake experiment whose runner writes a file and counts its calls; no QEMU involved. */
function countingExperiment(failOn?: number) {
  const calls: number[] = [];
  const experiment: Experiment = {
    id: 'fig04-boot-time',
    figure: 4,
    section: '5.2',
    title: 'fake',
    metrics: { 'os-boot': { label: 'OS boot', unit: 's', better: 'lower' } },
    configurations: {
      local: {
        needs: [],
        runner: {
          run: async (ctx) => {
            calls.push(ctx.repetition);
            if (ctx.repetition === failOn) throw new Error('QEMU exited before login (fake)');
            await writeFile(path.join(ctx.rawDir, 'boot.txt'), String(30 + ctx.repetition));
          },
          parse: async (rawDir) => [{ metric: 'os-boot', unit: 's', value: Number(await readFile(path.join(rawDir, 'boot.txt'), 'utf8')) }],
        },
      },
      'vmm-local': { needs: [] },
      'kvm-nfs': { needs: ['nfs-server'] },
    },
    figureData: () => [],
    paperRows: () => [],
    specFile: '/nonexistent',
    testbedDifference: 'none (fake)',
  };
  return { experiment, calls };
}

async function stage() {
  const layout = runLayout(await mkdtemp(path.join(os.tmpdir(), 'run-')));
  return { layout, ledger: StepLedger.open(layout.ledger), options, guestImages: [], progress: () => undefined };
}

describe('experiments stage', () => {
  it('does not run what a failed build took away, and says why', async () => {
    const ctx = await stage();
    const { experiment, calls } = countingExperiment();
    experiment.configurations.local!.needs = ['aoe-server'];
    const blocked = new Map([['aoe-server', 'server did not build in this run (see logs/build-server.log)']] as const);
    const result = await runExperiment(experiment, { ...ctx, blocked });
    expect(calls).toEqual([]);
    expect(result.configurations[0]).toEqual({ configuration: 'local', status: 'not-run', reason: 'server did not build in this run (see logs/build-server.log)' });
  });

  it('runs each repetition once; a resumed run reuses finished repetitions', async () => {
    const ctx = await stage();
    const first = countingExperiment();
    const result = await runExperiment(first.experiment, ctx);
    expect(first.calls).toEqual([1, 2]);
    expect(result.configurations[0]).toMatchObject({ configuration: 'local', status: 'ran', repetitions: 2 });

    const resumed = countingExperiment();
    const again = await runExperiment(resumed.experiment, { ...ctx, ledger: StepLedger.open(ctx.layout.ledger) });
    expect(resumed.calls).toEqual([]);
    expect(again.configurations[0]).toEqual(result.configurations[0]);

    // Deleting a repetition's folder measures that repetition again, and only it.
    await rm(path.join(ctx.layout.raw, 'fig04-boot-time', 'local', 'rep-1'), { recursive: true });
    const remeasured = countingExperiment();
    await runExperiment(remeasured.experiment, { ...ctx, ledger: StepLedger.open(ctx.layout.ledger) });
    expect(remeasured.calls).toEqual([1]);
  });

  it('records why a configuration did not run, and a failure without losing the others', async () => {
    const ctx = await stage();
    const failing = countingExperiment(2);
    const result = await runExperiment(failing.experiment, { ...ctx, blocked: new Map([['nfs-server', 'NFS server missing (fake)']] as const) });
    expect(result.configurations).toEqual([
      { configuration: 'local', status: 'failed', reason: 'QEMU exited before login (fake)' },
      { configuration: 'vmm-local', status: 'not-run', reason: 'the artifact has no runner for this configuration yet' },
      { configuration: 'kvm-nfs', status: 'not-run', reason: 'NFS server missing (fake)' },
    ]);
    // Resuming retries only the repetition that failed.
    const retry = countingExperiment();
    const retried = await runExperiment(retry.experiment, { ...ctx, ledger: StepLedger.open(ctx.layout.ledger) });
    expect(retry.calls).toEqual([2]);
    expect(retried.configurations[0]).toMatchObject({ status: 'ran', repetitions: 2 });
    // The failed attempt's raw folder is kept aside, not deleted.
    const kept = await readdir(path.join(ctx.layout.raw, 'fig04-boot-time', 'local'));
    expect(kept.filter((name) => name.startsWith('rep-2.attempt-'))).toHaveLength(1);
  });

  it('interleaves repetitions across configurations, rotating the order each round', async () => {
    const ctx = await stage();
    const order: string[] = [];
    const recording = (name: string): Runner => ({
      run: async (rep) => {
        order.push(`${name}${rep.repetition}`);
        await writeFile(path.join(rep.rawDir, 'boot.txt'), '30');
      },
      parse: async () => [{ metric: 'os-boot', unit: 's', value: 30 }],
    });
    const { experiment } = countingExperiment();
    experiment.configurations = { local: { needs: [], runner: recording('L') }, 'vmm-local': { needs: [], runner: recording('V') }, 'vmm-aoe-cache-on': { needs: [], runner: recording('A') } };
    const result = await runExperiment(experiment, { ...ctx, options: { ...options, reps: 3 } });
    expect(order).toEqual(['L1', 'V1', 'A1', 'V2', 'A2', 'L2', 'A3', 'L3', 'V3']);
    expect(result.configurations.map((c) => c.configuration)).toEqual(['local', 'vmm-local', 'vmm-aoe-cache-on']);
    expect(result.configurations[1]).toMatchObject({ status: 'ran', repetitions: 3 });
  });

  it('stops a failed configuration after its failing repetition while the others finish', async () => {
    const ctx = await stage();
    const { experiment, calls } = countingExperiment(1);
    const others: number[] = [];
    experiment.configurations['vmm-local'] = {
      needs: [],
      runner: {
        run: async (rep) => {
          others.push(rep.repetition);
          await writeFile(path.join(rep.rawDir, 'boot.txt'), '31');
        },
        parse: async () => [{ metric: 'os-boot', unit: 's', value: 31 }],
      },
    };
    const result = await runExperiment(experiment, ctx);
    expect(calls).toEqual([1]);
    expect(others).toEqual([1, 2]);
    expect(result.configurations[1]).toMatchObject({ configuration: 'vmm-local', status: 'ran', repetitions: 2 });
  });
});
