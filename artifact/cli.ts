// SPDX-License-Identifier: MIT
import { parseReproduceArgs, usage } from './commands/arguments.js';
import { writeReadmeClaimsTable, writeReadmeProfileVerdicts } from './commands/claims-table.js';
import { compare } from './commands/compare.js';
import { figures } from './commands/figures.js';
import { fuzz } from './commands/fuzz.js';
import { format } from './format.js';
import { reproduce } from './commands/reproduce.js';
import { paths } from './core/paths.js';
import { doctorChecks } from './stages/doctor.js';

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'reproduce': {
      const folder = await reproduce(parseReproduceArgs(rest));
      process.stdout.write(`Done: report in ${folder}/report.html and report.pdf\n`);
      return;
    }
    case 'figures': {
      const [runId, ...extra] = rest;
      if (runId === undefined || extra.length > 0) throw new Error(`figures takes exactly one run id\n${usage}`);
      await figures(runId, { publishTo: paths.figures });
      return;
    }
    case 'compare':
      await compare(rest);
      return;
    case 'claims-table': {
      if (rest[0] === '--by-profile') {
        const runIds = rest.slice(1);
        if (runIds.length === 0) throw new Error(`claims-table --by-profile takes one run id or more\n${usage}`);
        await writeReadmeProfileVerdicts(runIds);
        return;
      }
      const [runId, ...extra] = rest;
      if (runId === undefined || extra.length > 0) throw new Error(`claims-table takes exactly one run id\n${usage}`);
      await writeReadmeClaimsTable(runId);
      return;
    }
    case 'format':
      format(true);
      return;
    case 'fuzz':
      if (!fuzz(rest)) process.exitCode = 1;
      return;
    case 'doctor': {
      const checks = doctorChecks();
      for (const check of checks)
        process.stdout.write(`${check.ok ? 'ok  ' : check.fatal ? 'FAIL' : 'warn'} ${check.name}: ${check.detail}\n`);
      if (checks.some((c) => !c.ok && c.fatal)) process.exitCode = 1;
      return;
    }
    default:
      throw new Error(`unknown command '${command ?? ''}'\n${usage}`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`\nerror: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
