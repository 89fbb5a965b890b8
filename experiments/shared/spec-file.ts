import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The spec.vl.json beside an experiment module (pass its import.meta.url). */
export const specBeside = (moduleUrl: string) => path.join(path.dirname(fileURLToPath(moduleUrl)), 'spec.vl.json');
