// SPDX-License-Identifier: MIT
import { existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
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
    await expect(
      openRun({ runId: 'run-b', options: { ...quick, quick: false, reps: 5 }, fresh: false }, runs),
    ).rejects.toThrow(/--fresh/);
    const fresh = await openRun({ runId: 'run-b', options: quick, fresh: true }, runs);
    expect(fresh.resumed).toBe(false);
    const entries = await readdir(runs);
    expect(entries.some((name) => name.startsWith('run-b.replaced-'))).toBe(true);
    expect(existsSync(path.join(runs, 'run-b', 'manifest.json'))).toBe(true);
  });

  it("a run folder is one process's: a second process is told which one holds it; a dead holder's lock is taken over", async () => {
    const runs = await mkdtemp(path.join(os.tmpdir(), 'runs-'));
    const first = await openRun({ runId: 'run-c', options: quick, fresh: false }, runs);
    const lock = path.join(runs, 'run-c', 'run.lock');
    expect(await readFile(lock, 'utf8')).toBe(`${process.pid}\n`);
    await first.release();
    expect(existsSync(lock)).toBe(false);

    const other = spawn('sleep', ['30']);
    try {
      await writeFile(lock, `${other.pid}\n`);
      await expect(openRun({ options: quick, fresh: false }, runs)).rejects.toThrow(
        new RegExp(`run 'run-c' is in use by process ${other.pid}`),
      );
      await expect(openRun({ runId: 'run-c', options: quick, fresh: true }, runs)).rejects.toThrow(/in use by process/);
    } finally {
      other.kill();
    }
    const gone = spawn('true');
    await new Promise((resolve) => gone.once('exit', resolve));
    await writeFile(lock, `${gone.pid}\n`);
    const taken = await openRun({ runId: 'run-c', options: quick, fresh: false }, runs);
    expect(taken.resumed).toBe(true);
    expect(await readFile(lock, 'utf8')).toBe(`${process.pid}\n`);
  });

  it('rejects run ids that are not plain names', async () => {
    const runs = await mkdtemp(path.join(os.tmpdir(), 'runs-'));
    await expect(openRun({ runId: '../escape', options: quick, fresh: false }, runs)).rejects.toThrow(/may only hold/);
  });
});
