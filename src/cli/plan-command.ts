/** `topoplan plan FILE [--format text|json|dot|mermaid] [--out FILE] [--parse-workers N]`. */
import type { CliContext } from './cli-context.js';
import { Option, type Command } from 'commander';
import { planMigration } from '../plan/plan-migration.js';
import { renderPlanDot, renderPlanMermaid } from '../render/plan-graph.js';
import { renderPlanText } from '../render/plan-text.js';
import { wholeNumber, writableFile } from './option-parsers.js';
import { emit, EXIT_OK, EXIT_PROBLEMS, printDiagnostics } from './io.js';

export function planCommand(program: Command, ctx: CliContext): void {
  program
    .command('plan')
    .description('plan the migration of every store: a dependency-ordered DAG of steps')
    .argument('<file>', 'topology YAML')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'dot', 'mermaid']).default('text'))
    .addOption(new Option('-o, --out <file>', 'write the output to a file').argParser(writableFile))
    .option('--sql', 'text format: show the SQL of every step')
    .addOption(new Option('--parse-workers <n>', 'threads that parse files besides the main one (default: one per spare core; 0: none)').argParser(wholeNumber(0, 64)))
    .action(async (file: string, opts: { format: string; out?: string; sql?: boolean; parseWorkers?: number }) => {
      const plan = await planMigration(file, { allowErrors: true, ...(opts.parseWorkers !== undefined ? { parseWorkers: opts.parseWorkers } : {}) });
      const failed = plan.diagnostics.some((d) => d.severity === 'error');
      if (opts.format === 'json') emit(ctx, JSON.stringify(plan, null, 2) + '\n', opts.out);
      else if (opts.format === 'dot') emit(ctx, renderPlanDot(plan), opts.out);
      else if (opts.format === 'mermaid') emit(ctx, renderPlanMermaid(plan), opts.out);
      else emit(ctx, renderPlanText(plan, { color: !opts.out && ctx.colorOut, sql: opts.sql }), opts.out);
      if (opts.format !== 'text' || opts.out) printDiagnostics(ctx, plan.diagnostics.filter((d) => d.severity === 'error'));
      ctx.setExit(failed ? EXIT_PROBLEMS : EXIT_OK);
    });
}
