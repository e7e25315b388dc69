/**
 * `topoplan check FILE [--contract] [--update] [--no-reverts] [--format text|json] [--cache-dir DIR | --no-cache] [--cluster-cache-dir DIR]`:
 * the plan proven on throwaway engines. `--cache-dir` is the parse cache, as on plan; the scratch cluster's is `--cluster-cache-dir`.
 */
import { noCacheOption, parseCacheOf } from './parse-cache-option.js';
import type { CliContext } from './cli-context.js';
import { Option, type Command } from 'commander';
import { resolve } from 'node:path';
import { writableFile } from './option-parsers.js';
import { emit, EXIT_OK, EXIT_PROBLEMS, printDiagnostics } from './io.js';
import { envelope, formatOption, jsonOption, outputFormat } from './output-format.js';
import { requireTopology } from './require-topology.js';
import { serverUserChoice, serverUserOption } from './server-user-option.js';

export function checkCommand(program: Command, ctx: CliContext): void {
  program
    .command('check')
    .description('apply the plan to throwaway embedded engines and report every failing statement, the expectations and the schema')
    .argument('[file]', 'topology YAML (default: topoplan.yaml here or in a parent directory)')
    .option('--contract', 'also run the contract phase')
    .option('--update', "write each store's schema file instead of comparing with it")
    .option('--schema-dir <dir>', 'committed schema files, one <store>.json per store (default: schemaDir of the topology, or schema/<name> next to it)')
    .option('--no-schema', 'do not compare or write schema files')
    .option('--no-reverts', 'do not roll the plan back afterwards to prove its reverts')
    .option('--neo4j-url <url>', 'a throwaway Neo4j server to check Neo4j steps on (its database is used as scratch)')
    .option('--scratch-dir <dir>', 'where the throwaway engines are made (default: /dev/shm when it has room, else the temp directory)')
    .option('--cluster-cache-dir <dir>', 'where the initialised scratch PostgreSQL cluster is kept between checks')
    .option('--cache-dir <dir>', 'where parses of unchanged files are kept between plans, as on plan (default: cache/ in the data directory)')
    .option('--data-dir <dir>', 'the data directory, for the parse cache (default: .topoplan/ next to the topology)')
    .addOption(formatOption())
    .addOption(jsonOption())
    .addOption(new Option('-o, --out <file>', 'write the output to a file').argParser(writableFile))
    .addOption(serverUserOption())
    .addOption(noCacheOption())
    .action(async (file: string | undefined, opts: { createServerUser?: boolean; contract?: boolean; update?: boolean; schemaDir?: string; schema: boolean; reverts: boolean; neo4jUrl?: string; scratchDir?: string; clusterCacheDir?: string; cacheDir?: string; dataDir?: string; cache: boolean; format: string; json?: boolean; out?: string }) => {
      const [{ checkPlan }, { beginScratch }, { planMigration }, { renderCheckText }] = await Promise.all([import('../check/check-plan.js'), import('../check/scratch-start.js'), import('../plan/plan-migration.js'), import('../render/check-text.js')]);
      const format = outputFormat(ctx, 'check', opts);
      const topology = await requireTopology(ctx, file);
      const scratch = { ...serverUserChoice(opts), ...(opts.scratchDir ? { parentDir: resolve(ctx.cwd, opts.scratchDir) } : {}), ...(opts.clusterCacheDir ? { cacheDir: resolve(ctx.cwd, opts.clusterCacheDir) } : {}) };
      // The scratch PostgreSQL server starts while the plan is made.
      const begun = await beginScratch({ ...scratch, postgres: [...topology.stores.values()].some((s) => s.engine === 'postgres') });
      const plan = await planMigration(topology, parseCacheOf(ctx, topology, opts)).catch(async (e: unknown) => {
        await begun.abandon();
        throw e;
      });
      printDiagnostics(ctx, plan.diagnostics.filter((d) => d.severity === 'warning'));
      const result = await checkPlan(plan, {
        begun,
        ...(opts.contract ? { contract: true } : {}),
        ...(opts.update ? { update: true } : {}),
        ...(opts.schema ? { schemaDir: opts.schemaDir ?? topology.schemaDir } : {}),
        ...(opts.neo4jUrl ? { neo4jUrl: opts.neo4jUrl } : {}),
        ...(opts.reverts ? {} : { reverts: false }),
        ...scratch,
        signal: ctx.signal,
      });
      const command = `topoplan check ${topology.file}${opts.contract ? ' --contract' : ''}${opts.reverts ? '' : ' --no-reverts'}`;
      emit(ctx, format === 'json' ? envelope('check', { ...result }) : renderCheckText(result, { topology: plan.topology, file: plan.file, command, color: !opts.out && ctx.colorOut }), opts.out);
      ctx.setExit(result.ok ? EXIT_OK : EXIT_PROBLEMS);
    });
}
