/**
 * `topoplan plan [FILE] [--format text|json|dot|mermaid] [--out FILE] [--detailed-exitcode] [--cache-dir DIR | --no-cache] [--timings]`:
 * data on stdout, diagnostics (and, with --timings, where planning spent its time) on stderr; parses of unchanged
 * files come from `.topoplan/cache/`.
 */
import type { CliContext } from './cli-context.js';
import { Option, type Command } from 'commander';
import { wholeNumber, writableFile } from './option-parsers.js';
import { emit, emitJson, EXIT_OK, EXIT_PROBLEMS, printDiagnostics } from './io.js';
import { detailedExitOption, EXIT_CHANGES, formatOption, jsonOption, outputFormat } from './output-format.js';
import { planFor } from './plan-for.js';
import { noCacheOption, parseCacheDir } from './parse-cache-option.js';
import type { Topology } from '../topology/model.js';
import { StageClock, type PlanStage } from '../plan/stage-clock.js';
import { timingLines } from './timing-lines.js';

export function planCommand(program: Command, ctx: CliContext): void {
  program
    .command('plan')
    .description('plan the migration of every store: a dependency-ordered DAG of steps')
    .argument('[file]', 'topology YAML (default: topoplan.yaml here or in a parent directory)')
    .addOption(formatOption(['text', 'json', 'dot', 'mermaid']))
    .addOption(jsonOption())
    .addOption(new Option('-o, --out <file>', 'write the output to a file').argParser(writableFile))
    .option('--sql', 'text format: show the SQL of every step')
    .option('--verbose', 'text format: every resolved conflict in full, with its resolution')
    .addOption(detailedExitOption('the plan has steps (it reads no database: status --detailed-exitcode tells what is pending in one)'))
    .option('--cache-dir <dir>', 'where parses of unchanged files are kept between plans (default: cache/ in the data directory)')
    .addOption(noCacheOption())
    .option('--data-dir <dir>', 'the data directory (default: .topoplan/ next to the topology)')
    .option('--timings', 'write to stderr how long each stage of planning took, and the heap in use after it')
    .addOption(new Option('--parse-workers <n>', 'threads that parse files besides the main one (default: one per spare core; 0: none)').argParser(wholeNumber(0, 64)))
    .action(async (file: string | undefined, opts: { format: string; json?: boolean; out?: string; sql?: boolean; verbose?: boolean; detailedExitcode?: boolean; parseWorkers?: number; timings?: boolean; cache: boolean; cacheDir?: string; dataDir?: string }) => {
      const format = outputFormat(ctx, 'plan', opts);
      // Only the renderer of the format asked for is loaded, while the plan is made.
      const graphs = format === 'dot' || format === 'mermaid' ? import('../render/plan-graph.js') : undefined;
      const texts = format === 'text' ? import('../render/plan-text.js') : undefined;
      for (const p of [graphs, texts]) p?.catch(() => {});
      const cacheDirOf = (topology: Pick<Topology, 'file'>) => parseCacheDir(ctx, topology, opts);
      const stages: PlanStage[] = [];
      const plan = await planFor(ctx, file, { allowErrors: true, ...(opts.parseWorkers !== undefined ? { parseWorkers: opts.parseWorkers } : {}), ...(opts.timings ? { onStage: (s: PlanStage) => stages.push(s) } : {}) }, cacheDirOf);
      const errors = plan.diagnostics.filter((d) => d.severity === 'error').length;
      const output = new StageClock(opts.timings ? (s) => stages.push(s) : undefined);
      if (format === 'json') emitJson(ctx, plan, opts.out);
      else if (format === 'dot') emit(ctx, (await graphs!).renderPlanDot(plan), opts.out);
      else if (format === 'mermaid') emit(ctx, (await graphs!).renderPlanMermaid(plan), opts.out);
      else emit(ctx, (await texts!).renderPlanText(plan, { color: !opts.out && ctx.colorOut, sql: opts.sql, verbose: opts.verbose, diagnostics: false }), opts.out);
      output.lap('output', () => `${format}${opts.out ? ` to ${opts.out}` : ''}`);
      printDiagnostics(ctx, plan.diagnostics.filter((d) => d.severity !== 'info'));
      for (const line of timingLines(stages)) ctx.err(`${line}\n`);
      if (errors > 0) ctx.err(`plan: failed with ${errors} error${errors === 1 ? '' : 's'}; nothing can be applied until ${errors === 1 ? 'it is' : 'they are'} fixed\n`);
      ctx.setExit(errors > 0 ? EXIT_PROBLEMS : opts.detailedExitcode && plan.steps.length > 0 ? EXIT_CHANGES : EXIT_OK);
    });
}
