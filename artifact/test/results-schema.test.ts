// SPDX-License-Identifier: MIT
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJsonValidated } from '../core/json-file.js';
import { resultFileSchema } from '../core/results-schema.js';

const valid = {
  schema: 'vmm-netboot/result@1',
  experiment: 'fig04-boot-time',
  figure: 4,
  configurations: [
    {
      configuration: 'local',
      status: 'ran',
      repetitions: 1,
      measurements: [{ metric: 'os-boot', unit: 's', repetition: 1, value: 26.4 }],
    },
    { configuration: 'vmm-local', status: 'not-run', reason: 'hypervisor local-disk boot not implemented yet' },
  ],
};

async function tempFile(content: string): Promise<string> {
  const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'schema-')), 'fig04-boot-time.json');
  await writeFile(file, content);
  return file;
}

describe('result schema', () => {
  it('accepts a well-formed result file', async () => {
    const file = await tempFile(JSON.stringify(valid));
    await expect(readJsonValidated(file, resultFileSchema, 'redo it')).resolves.toMatchObject({
      experiment: 'fig04-boot-time',
    });
  });

  it('names the bad field and says what to do', async () => {
    const bad = structuredClone(valid) as { configurations: { measurements?: { value: unknown }[] }[] };
    bad.configurations[0]!.measurements![0]!.value = 'fast';
    const file = await tempFile(JSON.stringify(bad));
    await expect(readJsonValidated(file, resultFileSchema, 'Rerun the experiment.')).rejects.toThrow(
      /configurations\.0\.measurements\.0\.value[\s\S]*Rerun the experiment\./,
    );
  });

  it('rejects unknown configurations, a not-run entry without a reason, and broken JSON', async () => {
    const unknown = structuredClone(valid);
    (unknown.configurations[0] as { configuration: string }).configuration = 'bitvisor';
    await expect(readJsonValidated(await tempFile(JSON.stringify(unknown)), resultFileSchema, 'x')).rejects.toThrow(
      /configuration/,
    );
    const noReason = structuredClone(valid);
    (noReason.configurations[1] as { reason?: string }).reason = '';
    await expect(readJsonValidated(await tempFile(JSON.stringify(noReason)), resultFileSchema, 'x')).rejects.toThrow(
      /reason/,
    );
    await expect(readJsonValidated(await tempFile('{"schema": '), resultFileSchema, 'x')).rejects.toThrow(
      /not valid JSON/,
    );
  });

  it('says a missing file is missing', async () => {
    await expect(readJsonValidated('/nonexistent/results.json', resultFileSchema, 'Run it first.')).rejects.toThrow(
      /missing\. Run it first\./,
    );
  });
});
