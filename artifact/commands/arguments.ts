// SPDX-License-Identifier: MIT
import path from 'node:path';
import { parseArgs } from 'node:util';
import { defaultReps, diskProfiles, runOptionsSchema, runSize } from '../core/options.js';
import type { ReproduceRequest } from './reproduce.js';

export const usage = `Usage (through npm, which installs what is missing first):
  npm run reproduce [-- --smoke|--quick] [--boot-per-experiment] [--jobs N [--parallel-boots]] [--only fig04 fig05 ...] [--configurations local vmm-aoe-cache-on ...] [--reps N] [--run-id ID] [--testbed emulated|hardware [--hardware FILE]] [--profile ${diskProfiles.join('|')}] [--installer debootstrap|debian-installer] [--windows-iso FILE [--windows-product-key-file FILE]] [--fresh]
  npm run figures -- <run-id>
  npm run compare -- <run-id|paper> <run-id> [...]
  npm run claims-table -- <run-id>
  npm run claims-table -- --by-profile <run-id> [<run-id> ...]
  npm run fuzz [-- --seeds N] [--first-seed S] [--scale K]
  npm run format
  npm run doctor`;

/** Parses `reproduce` options; a bad value gets an error that names it and shows the usage. */
export function parseReproduceArgs(args: readonly string[]): ReproduceRequest {
  let parsedArgs;
  try {
    parsedArgs = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        quick: { type: 'boolean', default: false },
        smoke: { type: 'boolean', default: false },
        'boot-per-experiment': { type: 'boolean', default: false },
        jobs: { type: 'string' },
        'parallel-boots': { type: 'boolean', default: false },
        only: { type: 'string', multiple: true },
        configurations: { type: 'string', multiple: true },
        reps: { type: 'string' },
        'run-id': { type: 'string' },
        testbed: { type: 'string', default: 'emulated' },
        hardware: { type: 'string' },
        profile: { type: 'string' },
        installer: { type: 'string' },
        'windows-iso': { type: 'string' },
        'windows-product-key-file': { type: 'string' },
        fresh: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${usage}`);
  }
  const { values, positionals } = parsedArgs;
  // "--only fig04 fig05": the names after the first are positionals (likewise for --configurations).
  const listed = values.configurations ?? values.only;
  if (listed === undefined && positionals.length > 0)
    throw new Error(`unexpected argument(s) ${positionals.join(' ')}\n${usage}`);
  if (values.configurations !== undefined && values.only !== undefined && positionals.length > 0) {
    throw new Error(
      `with both --only and --configurations, repeat each option before each of its names (--only fig04 --only fig05 --configurations local --configurations vmm-aoe-cache-on)\n${usage}`,
    );
  }
  const withPositionals = (list: string[] | undefined) =>
    list === undefined ? null : list === listed ? [...list, ...positionals] : [...list];
  const only = withPositionals(values.only);
  const configurations = withPositionals(values.configurations);
  const quick = values.quick || values.smoke;
  const reps = values.reps === undefined ? defaultReps[runSize({ quick, smoke: values.smoke })] : Number(values.reps);
  const parsed = runOptionsSchema.safeParse({
    quick,
    ...(values.smoke ? { smoke: true } : {}),
    ...(values['boot-per-experiment'] ? { bootPerExperiment: true } : {}),
    ...(values.jobs === undefined ? {} : { jobs: Number(values.jobs) }),
    ...(values['parallel-boots'] ? { parallelBoots: true } : {}),
    reps,
    only,
    testbed: values.testbed,
    ...(configurations === null ? {} : { configurations }),
    ...(values.profile === undefined ? {} : { profile: values.profile }),
    ...(values.installer === undefined ? {} : { installer: values.installer }),
    ...(values['windows-iso'] === undefined ? {} : { windowsIso: path.resolve(values['windows-iso']) }),
    ...(values['windows-product-key-file'] === undefined
      ? {}
      : { windowsProductKeyFile: path.resolve(values['windows-product-key-file']) }),
  });
  if (!parsed.success) {
    throw new Error(
      `bad option ${parsed.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('; ')}\n${usage}`,
    );
  }
  if (parsed.data.windowsProductKeyFile !== undefined && parsed.data.windowsIso === undefined)
    throw new Error(
      `--windows-product-key-file goes with --windows-iso (the key is for the Windows you install from it)\n${usage}`,
    );
  if ((parsed.data.jobs ?? 1) > 1 && parsed.data.testbed === 'hardware')
    throw new Error(
      `--jobs N runs several emulated client PCs at once; a hardware testbed has one client PC\n${usage}`,
    );
  if (parsed.data.parallelBoots && (parsed.data.jobs ?? 1) === 1)
    throw new Error(`--parallel-boots goes with --jobs N (N > 1)\n${usage}`);
  if ((parsed.data.profile ?? 'emulated') !== 'emulated' && parsed.data.testbed === 'hardware')
    throw new Error(
      `--profile ${parsed.data.profile} models the disks of the emulated testbed; a hardware testbed has its own\n${usage}`,
    );
  if (values.hardware !== undefined && parsed.data.testbed !== 'hardware')
    throw new Error(`--hardware describes a hardware testbed: give it with --testbed hardware\n${usage}`);
  return { options: parsed.data, runId: values['run-id'], fresh: values.fresh ?? false, hardwareFile: values.hardware };
}
