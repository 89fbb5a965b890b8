// SPDX-License-Identifier: MIT
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { selectExperiments } from '../../experiments/registry.js';
import { parseReproduceArgs } from '../commands/arguments.js';

describe('reproduce options', () => {
  it('defaults to five repetitions, three with --quick, one with --smoke (which implies quick sizes)', () => {
    expect(parseReproduceArgs([]).options).toEqual({ quick: false, reps: 5, only: null, testbed: 'emulated' });
    expect(parseReproduceArgs(['--quick']).options.reps).toBe(3);
    expect(parseReproduceArgs(['--quick', '--reps', '2']).options.reps).toBe(2);
    expect(parseReproduceArgs(['--smoke']).options).toEqual({
      quick: true,
      smoke: true,
      reps: 1,
      only: null,
      testbed: 'emulated',
    });
    expect(parseReproduceArgs(['--quick', '--boot-per-experiment']).options).toMatchObject({
      bootPerExperiment: true,
      reps: 3,
    });
  });

  it('takes several names after --only, a run id and --fresh', () => {
    const request = parseReproduceArgs(['--only', 'fig04', 'fig05', '--run-id', 'mine', '--fresh']);
    expect(request).toEqual({
      options: { quick: false, reps: 5, only: ['fig04', 'fig05'], testbed: 'emulated' },
      runId: 'mine',
      fresh: true,
    });
    expect(selectExperiments(request.options.only).map((e) => e.id)).toEqual([
      'fig04-boot-time',
      'fig05-disk-throughput',
    ]);
  });

  it('rejects bad values with the option named and the usage shown', () => {
    expect(() => parseReproduceArgs(['--reps', 'many'])).toThrow(/--reps[\s\S]*Usage/);
    expect(() => parseReproduceArgs(['--testbed', 'cloud'])).toThrow(/--testbed[\s\S]*Usage/);
    expect(() => parseReproduceArgs(['--quik'])).toThrow(/quik[\s\S]*Usage/);
    expect(() => parseReproduceArgs(['fig04'])).toThrow(/unexpected argument/);
    expect(() => selectExperiments(['fig99'])).toThrow(/unknown experiment 'fig99'. Known: fig04-boot-time/);
  });

  it('--hardware goes with --testbed hardware only', () => {
    expect(parseReproduceArgs(['--testbed', 'hardware', '--hardware', '/x.json']).hardwareFile).toBe('/x.json');
    expect(() => parseReproduceArgs(['--hardware', '/x.json'])).toThrow(/give it with --testbed hardware/);
  });

  it('--configurations picks configurations by id, alone or beside --only', () => {
    expect(parseReproduceArgs(['--configurations', 'local', 'vmm-aoe-cache-on']).options.configurations).toEqual([
      'local',
      'vmm-aoe-cache-on',
    ]);
    const both = parseReproduceArgs(['--only', 'fig04', '--only', 'fig05', '--configurations', 'local']).options;
    expect([both.only, both.configurations]).toEqual([['fig04', 'fig05'], ['local']]);
    expect(() => parseReproduceArgs(['--only', 'fig04', 'fig05', '--configurations', 'local'])).toThrow(
      /repeat each option before each of its names/,
    );
    expect(() => parseReproduceArgs(['--configurations', 'vmm-on-a-toaster'])).toThrow(/bad option --configurations/);
  });

  it('--profile picks the client disk, and is refused with the accepted list or on a hardware testbed', () => {
    expect(parseReproduceArgs(['--profile', 'hdd-2011']).options.profile).toBe('hdd-2011');
    expect(parseReproduceArgs(['--profile', 'hdd-2011-scaled']).options.profile).toBe('hdd-2011-scaled');
    expect(parseReproduceArgs([]).options.profile).toBeUndefined();
    expect(() => parseReproduceArgs(['--profile', 'ssd'])).toThrow(
      /bad option --profile: .*'emulated' \| 'hdd-2011' \| 'hdd-2011-scaled'/,
    );
    expect(() => parseReproduceArgs(['--testbed', 'hardware', '--profile', 'hdd-2011'])).toThrow(
      /a hardware testbed has its own/,
    );
  });

  it('--installer picks how the guest images are made', () => {
    expect(parseReproduceArgs(['--installer', 'debian-installer']).options.installer).toBe('debian-installer');
    expect(parseReproduceArgs([]).options.installer).toBeUndefined();
    expect(() => parseReproduceArgs(['--installer', 'anaconda'])).toThrow(/bad option --installer[\s\S]*Usage/);
  });

  it('--windows-iso and its key file are taken as absolute paths; a key file alone is refused', () => {
    const options = parseReproduceArgs([
      '--windows-iso',
      'win7.iso',
      '--windows-product-key-file',
      '/keys/win7',
    ]).options;
    expect(options.windowsIso).toBe(path.resolve('win7.iso'));
    expect(options.windowsProductKeyFile).toBe('/keys/win7');
    expect(() => parseReproduceArgs(['--windows-product-key-file', '/keys/win7'])).toThrow(
      /goes with --windows-iso[\s\S]*Usage/,
    );
  });
});
