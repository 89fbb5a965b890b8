// SPDX-License-Identifier: MIT
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { hashInputs } from './step-ledger.js';

/** Hash of every file under `directory` except build outputs: a component's source identity. */
export function hashSourceTree(directory: string): string {
  if (!existsSync(directory)) return 'absent';
  const parts: (string | Buffer)[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name === 'build' || entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) parts.push(path.relative(directory, full), readFileSync(full));
    }
  };
  walk(directory);
  return hashInputs(...parts);
}

/** Hash of several sources: each a folder (hashSourceTree) or a file, named relative to `root`. */
export function hashSources(root: string, sources: readonly string[]): string {
  return hashInputs(
    ...sources.flatMap((source) => {
      const full = path.join(root, source);
      if (!existsSync(full)) return [source, 'absent'];
      return [source, statSync(full).isDirectory() ? hashSourceTree(full) : readFileSync(full)];
    }),
  );
}
