// SPDX-License-Identifier: MIT
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';

let writes = 0;

/**
 * Writes JSON via a temporary file and rename, so an interrupted write never leaves half a file.
 * Each write has its own temporary file: lanes (reproduce --jobs) write at the same time.
 */
export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}-${++writes}.tmp`;
  await writeFile(temporary, JSON.stringify(value, null, 2) + '\n');
  await rename(temporary, file);
}

/** Reads and validates a JSON file; the error names the file, the bad field and what to do. */
export async function readJsonValidated<T extends z.ZodTypeAny>(
  file: string,
  schema: T,
  whatToDo: string,
): Promise<z.infer<T>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new Error(`${file} is missing. ${whatToDo}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not valid JSON (${(error as Error).message}). ${whatToDo}`);
  }
  const result = schema.safeParse(parsed);
  if (!result.success) {
    const issues = result.error.issues
      .map((issue) => `  ${issue.path.join('.') || '(top)'}: ${issue.message}`)
      .join('\n');
    throw new Error(`${file} does not match its schema:\n${issues}\n${whatToDo}`);
  }
  return result.data;
}
