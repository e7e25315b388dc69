/** `topoplan plan FILE [--format text|json|dot|mermaid] [--out FILE] [--parse-workers N]`. */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { planMigration } from '../plan/plan-migration.js';
import { renderPlanDot, renderPlanMermaid } from '../render/plan-graph.js';
import { renderPlanText } from '../render/plan-text.js';
import { emit, EXIT_OK, EXIT_PROBLEMS, printDiagnostics, useColor } from './io.js';

export function planCommand(program: Command, setExit: (code: number) => void): void {
  program
    .command('plan')
    .description('plan the migration of every store: a dependency-ordered DAG of steps')
    .argument('<file>', 'topology YAML')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'dot', 'mermaid']).default('text'))
    .option('-o, --out <file>', 'write the output to a file')
    .option('--sql', 'text format: show the SQL of every step')
    .addOption(new Option('--parse-workers <n>', 'threads that parse files besides the main one (default: one per spare core; 0: none)').argParser(workerCount))
    .action(async (file: string, opts: { format: string; out?: string; sql?: boolean; parseWorkers?: number }) => {
      const plan = await planMigration(file, { allowErrors: true, ...(opts.parseWorkers !== undefined ? { parseWorkers: opts.parseWorkers } : {}) });
      const failed = plan.diagnostics.some((d) => d.severity === 'error');
      if (opts.format === 'json') emit(JSON.stringify(plan, null, 2) + '\n', opts.out);
      else if (opts.format === 'dot') emit(renderPlanDot(plan), opts.out);
      else if (opts.format === 'mermaid') emit(renderPlanMermaid(plan), opts.out);
      else emit(renderPlanText(plan, { color: !opts.out && useColor(), sql: opts.sql }), opts.out);
      if (opts.format !== 'text' || opts.out) printDiagnostics(plan.diagnostics.filter((d) => d.severity === 'error'));
      setExit(failed ? EXIT_PROBLEMS : EXIT_OK);
    });
}

function workerCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 64) throw new InvalidArgumentError('give a whole number from 0 to 64.');
  return n;
}
