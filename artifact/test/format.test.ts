// SPDX-License-Identifier: MIT
// Every C and TypeScript file is in the one style (`npm run format` fixes it).
import { expect, test } from 'vitest';
import { format, formattedC, formattedTypeScript } from '../format.js';

test('C (clang-format) and TypeScript (Prettier) files are formatted', () => {
  expect(formattedC().length).toBeGreaterThan(100);
  expect(formattedTypeScript().length).toBeGreaterThan(150);
  try {
    format(false);
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`not formatted (run npm run format):\n${stderr ?? ''}${stdout ?? ''}`.slice(0, 4000));
  }
}, 120_000);
