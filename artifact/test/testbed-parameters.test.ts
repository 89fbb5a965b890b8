// SPDX-License-Identifier: MIT
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testbedParameters } from '../../experiments/shared/testbed-parameters.js';
import type { RunOptions } from '../core/options.js';
import { tunables } from '../core/tunables.js';
import { openRun } from '../core/run-folder.js';

const quick: RunOptions = { quick: true, reps: 1, only: null, testbed: 'emulated' };
const full: RunOptions = { ...quick, quick: false, reps: 5 };

describe('testbed parameters in the manifest', () => {
  it('names the client, the wire and the job sizes of quick and full runs', () => {
    expect(testbedParameters(quick)).toMatchObject({
      repetitions: 1,
      client: { cpus: 1, memoryMiB: 1024, nic: 'e1000 (82540EM)' },
      wire: { mtu: 1500, aoeSectorsPerFrame: 2, serverBuffers: 64 },
      fio: { sizeMiB: 32, passes: 1 },
      applications: { scale: 0.1, passes: 1 },
      rtt: { accesses: 50, fileMiB: 32 },
      bootStorm: { clients: [1, 2, 4, 8, 16, 32, 64], replayOptions: '--window 64 --retries 12' },
      kvmNfsBaseline: {
        hostMemoryMiB: 2048,
        guestMemoryMiB: 1024,
        mountOptions: 'vers=3,proto=tcp,nolock,noac,rsize=4096,wsize=4096',
      },
    });
    expect(testbedParameters(quick).tunables).toEqual(tunables); // the whole table, every size
    expect(testbedParameters(full)).toMatchObject({
      repetitions: 5,
      fio: { sizeMiB: 1000, passes: 5 },
      applications: { scale: 1, passes: 3 },
      rtt: { accesses: 1000 },
    });
  });

  it('records the lanes of --jobs N, and that boot times run alone unless --parallel-boots', () => {
    expect(testbedParameters(quick).lanes).toBe('one client PC at a time');
    expect(testbedParameters({ ...quick, jobs: 2 }).lanes).toEqual({
      clientsAtOnce: 2,
      cpus: expect.any(Array),
      bootTimesAlone: true,
    });
    expect(testbedParameters({ ...quick, jobs: 2, parallelBoots: true }).lanes).toMatchObject({
      bootTimesAlone: false,
    });
  });

  it('a new run records them in manifest.json', async () => {
    const runs = await mkdtemp(path.join(os.tmpdir(), 'runs-'));
    const run = await openRun(
      { runId: 'run-p', options: quick, fresh: false, parameters: testbedParameters(quick) },
      runs,
    );
    const manifest = JSON.parse(await readFile(run.layout.manifest, 'utf8'));
    expect(manifest.parameters).toEqual(JSON.parse(JSON.stringify(testbedParameters(quick))));
  });
});
