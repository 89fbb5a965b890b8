import { parseArgs } from 'node:util';
import { compare } from './commands/compare.js';
import { figures } from './commands/figures.js';
import { reproduce } from './commands/reproduce.js';
import { defaultReps, runOptionsSchema } from './core/options.js';
import { paths } from './core/paths.js';
import { doctorChecks } from './stages/doctor.js';

const usage = `Usage (through npm, which installs what is missing first):
  npm run reproduce [-- --quick] [--only fig04 fig05 ...] [--reps N] [--run-id ID] [--testbed emulated|hardware] [--fresh]
  npm run figures -- <run-id>
  npm run compare -- <run-id|paper> <run-id> [...]
  npm run doctor`;

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'reproduce': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: {
          quick: { type: 'boolean', default: false },
          only: { type: 'string', multiple: true },
          reps: { type: 'string' },
          'run-id': { type: 'string' },
          testbed: { type: 'string', default: 'emulated' },
          fresh: { type: 'boolean', default: false },
        },
      });
      // --only takes several names: "--only fig04 fig05" leaves fig05 as a positional.
      const only = values.only ? [...values.only, ...positionals] : null;
      if (!values.only && positionals.length > 0) throw new Error(`unexpected argument(s) ${positionals.join(' ')}\n${usage}`);
      const reps = values.reps === undefined ? (values.quick ? defaultReps.quick : defaultReps.full) : Number(values.reps);
      const parsed = runOptionsSchema.safeParse({ quick: values.quick, reps, only, testbed: values.testbed });
      if (!parsed.success) throw new Error(`bad option ${parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ')}\n${usage}`);
      const folder = await reproduce({ options: parsed.data, runId: values['run-id'], fresh: values.fresh });
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
    case 'doctor': {
      const checks = doctorChecks();
      for (const check of checks) process.stdout.write(`${check.ok ? 'ok  ' : check.fatal ? 'FAIL' : 'warn'} ${check.name}: ${check.detail}\n`);
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
