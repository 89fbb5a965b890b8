import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { selectExperiments } from '../../experiments/registry.js';
import { parseReproduceArgs } from '../commands/arguments.js';
import { checkTestbed, hardwareDescriptionFile } from '../core/testbed-choice.js';

describe('reproduce options', () => {
  it('defaults to five repetitions, one with --quick', () => {
    expect(parseReproduceArgs([]).options).toEqual({ quick: false, reps: 5, only: null, testbed: 'emulated' });
    expect(parseReproduceArgs(['--quick']).options.reps).toBe(1);
    expect(parseReproduceArgs(['--quick', '--reps', '3']).options.reps).toBe(3);
  });

  it('takes several names after --only, a run id and --fresh', () => {
    const request = parseReproduceArgs(['--only', 'fig04', 'fig05', '--run-id', 'mine', '--fresh']);
    expect(request).toEqual({ options: { quick: false, reps: 5, only: ['fig04', 'fig05'], testbed: 'emulated' }, runId: 'mine', fresh: true });
    expect(selectExperiments(request.options.only).map((e) => e.id)).toEqual(['fig04-boot-time', 'fig05-disk-throughput']);
  });

  it('rejects bad values with the option named and the usage shown', () => {
    expect(() => parseReproduceArgs(['--reps', 'many'])).toThrow(/--reps[\s\S]*Usage/);
    expect(() => parseReproduceArgs(['--testbed', 'cloud'])).toThrow(/--testbed[\s\S]*Usage/);
    expect(() => parseReproduceArgs(['--quik'])).toThrow(/quik[\s\S]*Usage/);
    expect(() => parseReproduceArgs(['fig04'])).toThrow(/unexpected argument/);
    expect(() => selectExperiments(['fig99'])).toThrow(/unknown experiment 'fig99'. Known: fig04-boot-time/);
  });

  it('says plainly that the hardware testbed is not configured', () => {
    expect(() => checkTestbed('emulated')).not.toThrow();
    if (!existsSync(hardwareDescriptionFile)) expect(() => checkTestbed('hardware')).toThrow(/hardware testbed not configured/);
    else expect(() => checkTestbed('hardware')).toThrow(/no driver for real PCs yet/);
  });
});
