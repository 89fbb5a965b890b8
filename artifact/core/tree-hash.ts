import { existsSync, readdirSync, readFileSync } from 'node:fs';
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
