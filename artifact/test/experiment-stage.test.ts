// SPDX-License-Identifier: MIT
import { appendFile, lstat, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Experiment, JobWork, Runner, SessionBoot } from '../core/experiment.js';
import type { RunOptions } from '../core/options.js';
import { runLayout } from '../core/paths.js';
import { StepLedger } from '../core/step-ledger.js';
import { repetitionCode, runExperiment, runExperiments } from '../stages/experiments.js';
import { ConsoleSilentError } from '../testbed/console.js';

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
          parse: async (rawDir) => [
            { metric: 'os-boot', unit: 's', value: Number(await readFile(path.join(rawDir, 'boot.txt'), 'utf8')) },
          ],
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
    expect(result.configurations[0]).toEqual({
      configuration: 'local',
      status: 'not-run',
      reason: 'server did not build in this run (see logs/build-server.log)',
    });
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

  it("a repetition's resume hash covers all the code it runs, not only its experiment's folder", () => {
    const code = repetitionCode('fig05-disk-throughput');
    for (const source of [
      'experiments/fig05-disk-throughput',
      'experiments/shared',
      'artifact/testbed',
      'artifact/stages/experiments.ts',
      'server/lab.ts',
      'server/boot-services.ts',
    ]) {
      expect(code).toContain(source);
    }
  });

  it('records why a configuration did not run, and a failure without losing the others', async () => {
    const ctx = await stage();
    const failing = countingExperiment(2);
    const result = await runExperiment(failing.experiment, {
      ...ctx,
      blocked: new Map([['nfs-server', 'NFS server missing (fake)']] as const),
    });
    expect(result.configurations).toEqual([
      { configuration: 'local', status: 'failed', reason: 'QEMU exited before login (fake)' },
      {
        configuration: 'vmm-local',
        status: 'not-run',
        reason: 'the artifact has no runner for this configuration yet',
      },
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
    experiment.configurations = {
      local: { needs: [], runner: recording('L') },
      'vmm-local': { needs: [], runner: recording('V') },
      'vmm-aoe-cache-on': { needs: [], runner: recording('A') },
    };
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

/**
 * A fake boot session (no QEMU): it logs the boot and each job it runs into the session's console
 * log, as a guest would, and records which jobs each boot was given and ran.
 */
function fakeSessions(failJob?: string) {
  const boots: { configuration: string; repetition: number; jobs: string[]; ran: string[] }[] = [];
  const boot: SessionBoot = async (ctx, jobs, body) => {
    const record = {
      configuration: ctx.configuration,
      repetition: ctx.repetition,
      jobs: jobs.map((job) => job.id),
      ran: [] as string[],
    };
    boots.push(record);
    const log = path.join(ctx.rawDir, 'client.com1.log');
    await writeFile(log, `boot ${ctx.configuration} ${ctx.repetition}\nlogin: \n`);
    await body({
      runJob: async (job) => {
        if (job.id === failJob) throw new Error(`job ${job.id} did not end (fake)`);
        const content = JSON.parse(await readFile(job.path, 'utf8')) as { powerOff: boolean };
        expect(content.powerOff).toBe(false);
        record.ran.push(job.id);
        await appendFile(log, `ran ${job.id}\n`);
      },
    });
  };
  return { boot, boots };
}

const fakeJob = (seconds: number): JobWork => ({
  kind: 'job',
  describe: 'fake job',
  tasks: () => ({ apps: { tests: ['web-render'], scale: seconds, passes: 1 } }),
  timeoutMs: () => 1000,
});

/** An experiment measuring `configurations` in boot sessions: from the boot, or by reading its job's line in the console log. */
function sessionExperiment(
  id: string,
  figure: number,
  boot: SessionBoot,
  work: JobWork | { kind: 'boot' },
  configurations: readonly ('local' | 'vmm-local')[] = ['local'],
): Experiment {
  const runner: Runner = {
    session: { boot, work },
    parse: async (rawDir) => {
      const log = await readFile(path.join(rawDir, 'client.com1.log'), 'utf8');
      if (work.kind === 'boot') return [{ metric: 'os-boot', unit: 's', value: log.startsWith('boot ') ? 30 : 0 }];
      const { id: jobId } = JSON.parse(await readFile(path.join(rawDir, 'job.json'), 'utf8')) as { id: string };
      if (!log.includes(`ran ${jobId}`)) throw new Error(`${rawDir}: no line for ${jobId}`);
      return [{ metric: 'seconds', unit: 's', value: figure }];
    },
  };
  return {
    ...countingExperiment().experiment,
    id,
    figure,
    metrics: {
      'os-boot': { label: 'OS boot', unit: 's', better: 'lower' },
      seconds: { label: 'seconds', unit: 's', better: 'lower' },
    },
    configurations: Object.fromEntries(configurations.map((configuration) => [configuration, { needs: [], runner }])),
  };
}

describe('boot sessions', () => {
  it('one boot per configuration and repetition serves every experiment; identical jobs run once; parts get their own raw folders', async () => {
    const ctx = await stage();
    const { boot, boots } = fakeSessions();
    const experiments = [
      sessionExperiment('fig04-boot-time', 4, boot, { kind: 'boot' }, ['local', 'vmm-local']),
      sessionExperiment('fig05-disk-throughput', 5, boot, fakeJob(1), ['local', 'vmm-local']),
      sessionExperiment('fig09-application-benchmark', 9, boot, fakeJob(2), ['local']),
      sessionExperiment('fig11-kvm-throughput', 11, boot, fakeJob(1), ['local']),
    ];
    const results = await runExperiments(experiments, ctx);
    expect(boots).toEqual([
      {
        configuration: 'local',
        repetition: 1,
        jobs: ['fig05-disk-throughput-local-rep1', 'fig09-application-benchmark-local-rep1'],
        ran: ['fig05-disk-throughput-local-rep1', 'fig09-application-benchmark-local-rep1'],
      },
      {
        configuration: 'vmm-local',
        repetition: 1,
        jobs: ['fig05-disk-throughput-vmm-local-rep1'],
        ran: ['fig05-disk-throughput-vmm-local-rep1'],
      },
      // Repetition 2 rotates the order of the boot sessions.
      {
        configuration: 'vmm-local',
        repetition: 2,
        jobs: ['fig05-disk-throughput-vmm-local-rep2'],
        ran: ['fig05-disk-throughput-vmm-local-rep2'],
      },
      {
        configuration: 'local',
        repetition: 2,
        jobs: ['fig05-disk-throughput-local-rep2', 'fig09-application-benchmark-local-rep2'],
        ran: ['fig05-disk-throughput-local-rep2', 'fig09-application-benchmark-local-rep2'],
      },
    ]);
    expect(results.map((result) => result.configurations.map((c) => [c.configuration, c.status]))).toEqual([
      [
        ['local', 'ran'],
        ['vmm-local', 'ran'],
      ],
      [
        ['local', 'ran'],
        ['vmm-local', 'ran'],
      ],
      [['local', 'ran']],
      [['local', 'ran']],
    ]);
    // Each repetition records what else the host did while it was measured.
    const fig05Local = results[1]!.configurations[0]!;
    expect(fig05Local.status === 'ran' && fig05Local.hostActivity?.map((activity) => activity.repetition)).toEqual([
      1, 2,
    ]);
    // Fig. 11 was measured by Fig. 5's job: its raw folder names that job and links the session's console log.
    const fig11 = path.join(ctx.layout.raw, 'fig11-kvm-throughput', 'local', 'rep-2');
    expect(JSON.parse(await readFile(path.join(fig11, 'job.json'), 'utf8')).id).toBe(
      'fig05-disk-throughput-local-rep2',
    );
    expect((await lstat(path.join(fig11, 'client.com1.log'))).isSymbolicLink()).toBe(true);
    expect(JSON.parse(await readFile(path.join(fig11, 'session.json'), 'utf8'))).toMatchObject({
      session: 'raw/sessions/local/rep-2',
      job: 'fig05-disk-throughput-local-rep2',
    });
    expect(
      await readFile(path.join(ctx.layout.raw, 'fig04-boot-time', 'local', 'rep-1', 'client.com1.log'), 'utf8'),
    ).toMatch(/^boot local 1\n/);
  });

  it('--boot-per-experiment boots once per experiment, configuration and repetition', async () => {
    const ctx = await stage();
    const { boot, boots } = fakeSessions();
    await runExperiments(
      [
        sessionExperiment('fig04-boot-time', 4, boot, { kind: 'boot' }),
        sessionExperiment('fig05-disk-throughput', 5, boot, fakeJob(1)),
      ],
      { ...ctx, options: { ...options, reps: 1, bootPerExperiment: true } },
    );
    expect(boots.map((b) => b.jobs)).toEqual([[], ['fig05-disk-throughput-local-rep1']]);
  });

  it('a job that fails fails its experiment, not the parts before it; a resumed run boots again for what is missing only', async () => {
    const ctx = await stage();
    const failing = fakeSessions('fig09-application-benchmark-local-rep1');
    const experiments = (boot: SessionBoot) => [
      sessionExperiment('fig04-boot-time', 4, boot, { kind: 'boot' }),
      sessionExperiment('fig05-disk-throughput', 5, boot, fakeJob(1)),
      sessionExperiment('fig09-application-benchmark', 9, boot, fakeJob(2)),
    ];
    const results = await runExperiments(experiments(failing.boot), { ...ctx, options: { ...options, reps: 1 } });
    expect(results.map((result) => result.configurations[0]!.status)).toEqual(['ran', 'ran', 'failed']);
    expect(results[2]!.configurations[0]).toMatchObject({
      reason: 'job fig09-application-benchmark-local-rep1 did not end (fake)',
    });

    const retry = fakeSessions();
    const retried = await runExperiments(experiments(retry.boot), {
      ...ctx,
      ledger: StepLedger.open(ctx.layout.ledger),
      options: { ...options, reps: 1 },
    });
    expect(retry.boots.map((b) => b.jobs)).toEqual([['fig09-application-benchmark-local-rep1']]);
    expect(retried.map((result) => result.configurations[0]!.status)).toEqual(['ran', 'ran', 'ran']);
  });

  /** A fake boot whose first `stalls` boots go silent before login, as the nested KVM guest sometimes does. */
  function stallingSessions(stalls: number) {
    const inner = fakeSessions();
    let boots = 0;
    const boot: SessionBoot = async (ctx, jobs, body) => {
      boots += 1;
      if (boots <= stalls) {
        await writeFile(path.join(ctx.rawDir, 'client.com1.log'), 'Loading initial ramdisk ...\n');
        throw new ConsoleSilentError(
          `com2: no output for 300 s while booting to the login prompt (fake, boot ${boots})`,
        );
      }
      await inner.boot(ctx, jobs, body);
    };
    return { boot, boots: inner.boots, count: () => boots };
  }

  it('a boot that stalls before login is booted again once; its logs are kept and named', async () => {
    const ctx = await stage();
    const { boot, boots, count } = stallingSessions(1);
    const results = await runExperiments(
      [
        sessionExperiment('fig04-boot-time', 4, boot, { kind: 'boot' }),
        sessionExperiment('fig05-disk-throughput', 5, boot, fakeJob(1)),
      ],
      { ...ctx, options: { ...options, reps: 1 } },
    );
    expect(count()).toBe(2);
    expect(boots.map((b) => b.ran)).toEqual([['fig05-disk-throughput-local-rep1']]);
    expect(results.map((result) => result.configurations[0]!.status)).toEqual(['ran', 'ran']);
    const session = path.join(ctx.layout.raw, 'sessions', 'local', 'rep-1');
    expect(await readFile(path.join(session, 'stalled-attempt', 'client.com1.log'), 'utf8')).toBe(
      'Loading initial ramdisk ...\n',
    );
    expect(await readFile(path.join(session, 'client.com1.log'), 'utf8')).toMatch(/^boot local 1\n/);
    const fig04 = path.join(ctx.layout.raw, 'fig04-boot-time', 'local', 'rep-1');
    expect(JSON.parse(await readFile(path.join(fig04, 'session.json'), 'utf8'))).toMatchObject({
      stalledAttempt: 'raw/sessions/local/rep-1/stalled-attempt',
    });
    expect(await readFile(path.join(ctx.layout.logs, 'session-local.log'), 'utf8')).toMatch(
      /the boot stalled \(com2: no output for 300 s .*\); booting again once/,
    );
  });

  it('a boot that stalls twice fails its parts with the second stall; other failures are not retried', async () => {
    const ctx = await stage();
    const twice = stallingSessions(2);
    const results = await runExperiments([sessionExperiment('fig04-boot-time', 4, twice.boot, { kind: 'boot' })], {
      ...ctx,
      options: { ...options, reps: 1 },
    });
    expect(twice.count()).toBe(2);
    expect(results[0]!.configurations[0]).toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/boot 2\)$/),
    });

    const other = await stage();
    let boots = 0;
    const failing: SessionBoot = async () => {
      boots += 1;
      throw new Error('QEMU exited before login (fake)');
    };
    await runExperiments([sessionExperiment('fig04-boot-time', 4, failing, { kind: 'boot' })], {
      ...other,
      options: { ...options, reps: 1 },
    });
    expect(boots).toBe(1);
  });

  it('--smoke leaves the KVM + NFS baseline out, saying so', async () => {
    const ctx = await stage();
    const { experiment } = countingExperiment();
    const result = await runExperiment(experiment, { ...ctx, options: { ...options, smoke: true, reps: 1 } });
    expect(result.configurations[2]).toEqual({
      configuration: 'kvm-nfs',
      status: 'not-run',
      reason: expect.stringMatching(/^not run: --smoke skips the KVM \+ NFS baseline/),
    });
  });
});

describe('lanes (--jobs N)', () => {
  /** A fake boot that records when each session ran and in which lane. */
  function timedSessions() {
    const spans: { configuration: string; lane: string; start: number; end: number }[] = [];
    const boot: SessionBoot = async (ctx, _jobs, body) => {
      const start = performance.now();
      await writeFile(path.join(ctx.rawDir, 'client.com1.log'), `boot ${ctx.configuration}\nlogin: \n`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      await body({
        runJob: async (job) => void (await appendFile(path.join(ctx.rawDir, 'client.com1.log'), `ran ${job.id}\n`)),
      });
      spans.push({ configuration: ctx.configuration, lane: ctx.lane?.cpus ?? 'all', start, end: performance.now() });
    };
    return { boot, spans };
  }
  const overlap = (a: { start: number; end: number }, b: { start: number; end: number }) =>
    a.start < b.end && b.start < a.end;

  it('runs the sessions of a repetition side by side, each in its own lane, when they measure no boot time', async () => {
    const ctx = await stage();
    const { boot, spans } = timedSessions();
    const results = await runExperiments(
      [sessionExperiment('fig05-disk-throughput', 5, boot, fakeJob(1), ['local', 'vmm-local'])],
      { ...ctx, options: { ...options, reps: 1, jobs: 2 } },
    );
    expect(results[0]!.configurations.map((c) => c.status)).toEqual(['ran', 'ran']);
    expect(spans).toHaveLength(2);
    expect(overlap(spans[0]!, spans[1]!)).toBe(true);
    expect(new Set(spans.map((span) => span.lane)).size).toBe(2);
  });

  it('runs a session that measures boot times alone, unless --parallel-boots', async () => {
    const ctx = await stage();
    const alone = timedSessions();
    await runExperiments(
      [sessionExperiment('fig04-boot-time', 4, alone.boot, { kind: 'boot' }, ['local', 'vmm-local'])],
      { ...ctx, options: { ...options, reps: 1, jobs: 2 } },
    );
    expect(overlap(alone.spans[0]!, alone.spans[1]!)).toBe(false);
    expect(alone.spans.map((span) => span.lane)).toEqual(['all', 'all']);

    const parallel = timedSessions();
    const other = await stage();
    await runExperiments(
      [sessionExperiment('fig04-boot-time', 4, parallel.boot, { kind: 'boot' }, ['local', 'vmm-local'])],
      { ...other, options: { ...options, reps: 1, jobs: 2, parallelBoots: true } },
    );
    expect(overlap(parallel.spans[0]!, parallel.spans[1]!)).toBe(true);
  });
});
