import { existsSync } from 'node:fs';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunOptions } from '../core/options.js';
import { openRun } from '../core/run-folder.js';
import { StepLedger } from '../core/step-ledger.js';

const quick: RunOptions = { quick: true, reps: 1, only: null, testbed: 'emulated' };

describe('step ledger', () => {
  it('skips a finished step with unchanged inputs and reruns it when inputs change', async () => {
    const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'ledger-')), 'steps.json');
    let runs = 0;
    const body = async () => {
      runs++;
    };
    expect(await StepLedger.open(file).run('experiment/a', 'inputs-1', body)).toBe('ran');
    // A new process reopens the ledger from disk, as a resumed run does.
    expect(await StepLedger.open(file).run('experiment/a', 'inputs-1', body)).toBe('skipped');
    expect(await StepLedger.open(file).run('experiment/a', 'inputs-2', body)).toBe('ran');
    expect(runs).toBe(2);
  });

  it('does not record a step that threw, so a resume retries it', async () => {
    const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'ledger-')), 'steps.json');
    const ledger = StepLedger.open(file);
    await expect(ledger.run('s', 'i', async () => Promise.reject(new Error('QEMU died')))).rejects.toThrow('QEMU died');
    expect(StepLedger.open(file).isDone('s', 'i')).toBe(false);
  });

  it('refuses a damaged ledger with what to do', async () => {
    const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'ledger-')), 'steps.json');
    await writeFile(file, JSON.stringify({ s: { inputs: 3 } }));
    expect(() => StepLedger.open(file)).toThrow(/damaged.*--fresh/);
  });
});

describe('run folders', () => {
  it('resumes the newest unfinished run with the same options, and starts a new one otherwise', async () => {
    const runs = await mkdtemp(path.join(os.tmpdir(), 'runs-'));
    const first = await openRun({ runId: 'run-a', options: quick, fresh: false }, runs);
    expect(first.resumed).toBe(false);
    const again = await openRun({ options: quick, fresh: false }, runs);
    expect(again).toMatchObject({ runId: 'run-a', resumed: true });
    const other = await openRun({ options: { ...quick, reps: 3 }, fresh: false }, runs);
    expect(other.runId).not.toBe('run-a');
  });

  it('refuses to resume a run with other options, and --fresh moves the old folder aside', async () => {
    const runs = await mkdtemp(path.join(os.tmpdir(), 'runs-'));
    await openRun({ runId: 'run-b', options: quick, fresh: false }, runs);
    await expect(openRun({ runId: 'run-b', options: { ...quick, quick: false, reps: 5 }, fresh: false }, runs)).rejects.toThrow(/--fresh/);
    const fresh = await openRun({ runId: 'run-b', options: quick, fresh: true }, runs);
    expect(fresh.resumed).toBe(false);
    const entries = await readdir(runs);
    expect(entries.some((name) => name.startsWith('run-b.replaced-'))).toBe(true);
    expect(existsSync(path.join(runs, 'run-b', 'manifest.json'))).toBe(true);
  });

  it('rejects run ids that are not plain names', async () => {
    const runs = await mkdtemp(path.join(os.tmpdir(), 'runs-'));
    await expect(openRun({ runId: '../escape', options: quick, fresh: false }, runs)).rejects.toThrow(/may only hold/);
  });
});
