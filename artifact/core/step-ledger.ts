// SPDX-License-Identifier: MIT
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { writeJsonAtomic } from './json-file.js';

const ledgerSchema = z.record(z.object({ inputs: z.string(), finishedAt: z.string(), seconds: z.number() }));
export type LedgerEntries = z.infer<typeof ledgerSchema>;

/**
 * The run folder's record of finished steps (steps.json). A step is skipped on resume when it is
 * recorded with the same inputs hash; changed inputs (options, binaries, images, code) rerun it.
 */
export class StepLedger {
  /** Writes go one after another, each of the entries as they are then: lanes finish steps at once. */
  private written: Promise<void> = Promise.resolve();

  private constructor(
    private readonly file: string,
    private readonly entries: LedgerEntries,
  ) {}

  private save(): Promise<void> {
    // A failed write fails its caller, not the writes after it.
    this.written = this.written.catch(() => undefined).then(() => writeJsonAtomic(this.file, this.entries));
    return this.written;
  }

  static open(file: string): StepLedger {
    if (!existsSync(file)) return new StepLedger(file, {});
    const parsed = ledgerSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!parsed.success)
      throw new Error(
        `${file} is damaged (${parsed.error.issues[0]?.message}); delete it to redo every step of this run, or start over with --fresh`,
      );
    return new StepLedger(file, parsed.data);
  }

  /** Every finished step, by name. */
  steps(): Readonly<LedgerEntries> {
    return this.entries;
  }

  isDone(step: string, inputs: string): boolean {
    return this.entries[step]?.inputs === inputs;
  }

  /** Drops a step's record, e.g. when its output was deleted, so that it runs again. */
  async forget(step: string): Promise<void> {
    if (!(step in this.entries)) return;
    delete this.entries[step];
    await this.save();
  }

  async markDone(step: string, inputs: string, seconds: number): Promise<void> {
    this.entries[step] = { inputs, finishedAt: new Date().toISOString(), seconds };
    await this.save();
  }

  /** Runs `body` unless the step is already done with these inputs; returns whether it ran. */
  async run(step: string, inputs: string, body: () => Promise<void>): Promise<'ran' | 'skipped'> {
    if (this.isDone(step, inputs)) return 'skipped';
    const started = performance.now();
    await body();
    await this.markDone(step, inputs, (performance.now() - started) / 1000);
    return 'ran';
  }
}

/** Wall time of one configuration of one experiment in a run: its finished repetitions. */
export interface ConfigurationWallTime {
  experiment: string;
  configuration: string;
  repetitions: number;
  seconds: number;
}

/** How the wall-time table names a boot session's whole time (its boot and every job in it). */
export const bootSessionLabel = 'boot session (whole)';

/**
 * Wall time per experiment configuration, from the ledger's 'experiment/<id>/<configuration>/rep-N'
 * steps (what the README's time estimates are made of; in a boot session, an experiment's time is
 * that of its job, or of the boot for the boot-time figures), and per boot session from its
 * 'session/<configuration>/rep-N' steps. A repetition done in an earlier sitting of a resumed run
 * counts with the time it took then.
 */
export function configurationWallTimes(steps: Readonly<LedgerEntries>): ConfigurationWallTime[] {
  const byConfiguration = new Map<string, ConfigurationWallTime>();
  for (const [step, entry] of Object.entries(steps)) {
    const match = /^(?:experiment\/([^/]+)|session)\/([^/]+)\/rep-\d+$/.exec(step);
    if (!match) continue;
    const experiment = match[1] ?? bootSessionLabel;
    const key = `${experiment}/${match[2]}`;
    const total = byConfiguration.get(key) ?? { experiment, configuration: match[2]!, repetitions: 0, seconds: 0 };
    total.repetitions += 1;
    total.seconds += entry.seconds;
    byConfiguration.set(key, total);
  }
  return [...byConfiguration.values()];
}

/** Stable hash of the values that decide a step's output. */
export function hashInputs(...parts: unknown[]): string {
  const hash = createHash('sha256');
  for (const part of parts)
    hash.update(typeof part === 'string' || Buffer.isBuffer(part) ? part : JSON.stringify(part ?? null)).update('\0');
  return hash.digest('hex').slice(0, 24);
}

/** Hash of a file's bytes, or 'absent'. */
export function hashFile(file: string): string {
  return existsSync(file) ? hashInputs(readFileSync(file)) : 'absent';
}
