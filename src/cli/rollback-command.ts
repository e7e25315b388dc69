/**
 * `topoplan rollback [FILE] [--run ID | --to RUN | --all] [--dry-run] [--contract] [--force]`:
 * undoes the last apply (or the runs named) across every store, in reverse
 * dependency order, and compares each store with what it held before. Exit 0
 * when every revert ran and every store is back as it was, 1 otherwise
 * (a revert stopped, failed, or a store differs), 2 on usage.
 */
import { noCacheOption, parseCacheOf } from './parse-cache-option.js';
import { Option, type Command } from 'commander';
import pc from 'picocolors';
import type { RollbackResult } from '../execute/rollback-runs.js';
import { TopoplanError } from '../errors.js';
import type { CliContext } from './cli-context.js';
import { EXIT_OK, EXIT_PROBLEMS } from './io.js';
import { secondsAsMs } from './option-parsers.js';
import { formatOption, jsonOption, outputFormat, printEnvelope } from './output-format.js';
import { dataDirFor, requireTopology } from './require-topology.js';

interface RollbackOpts { run?: string; to?: string; all?: boolean; dryRun?: boolean; contract?: boolean; force?: boolean; format: string; json?: boolean; dataDir?: string; cache: boolean; createServerUser: boolean; lockTimeout: number }

export function rollbackCommand(program: Command, ctx: CliContext): void {
  program
    .command('rollback')
    .description('undo the last apply (or --run ID, --to RUN, --all) across every store, newest step first')
    .argument('[file]', 'topology YAML (default: topoplan.yaml here or in a parent directory)')
    .option('--run <id>', 'roll back this run only')
    .option('--to <id>', 'roll back every run after this one (it stays applied)')
    .option('--all', 'roll back every run')
    .option('--dry-run', 'print the SQL per store in execution order; touch nothing')
    .option('--contract', 'also run reverts that destroy data (a table that holds rows), after a backup')
    .option('--force', 'skip irreversible steps (their changes stay) instead of stopping before them')
    .addOption(formatOption())
    .addOption(jsonOption())
    .option('--data-dir <dir>', 'where embedded engines keep their data and backups are (default: .topoplan/ next to the topology)')
    .addOption(noCacheOption())
    .option('--no-create-server-user', 'as root, do not create the "postgres" OS user embedded PostgreSQL runs as')
    .addOption(new Option('--lock-timeout <seconds>', 'wait this long for an apply holding a store').argParser(secondsAsMs(86_400)).default(30_000, '30'))
    .action(async (file: string | undefined, opts: RollbackOpts) => {
      if ([opts.run, opts.to, opts.all].filter((x) => x !== undefined).length > 1) throw new TopoplanError('cli.usage', 'rollback: --run, --to and --all choose the runs in different ways: pass one of them');
      const [{ rollbackRuns }, { namedClusters }, { resolveConnections }, { planMigration }] = await Promise.all([import('../execute/rollback-runs.js'), import('../execute/named-clusters.js'), import('../execute/resolve-connections.js'), import('../plan/plan-migration.js')]);
      const json = outputFormat(ctx, 'rollback', opts) === 'json';
      const topology = await requireTopology(ctx, file);
      const plan = await planMigration(topology, parseCacheOf(ctx, topology, opts));
      const ce = pc.createColors(ctx.colorErr && !json);
      const connections = await resolveConnections(topology, { dir: dataDirFor(ctx, topology, opts.dataDir), clusters: namedClusters(plan), createServerUser: opts.createServerUser, onNote: (n) => ctx.err(ce.dim(`topoplan: ${n}`) + '\n') });
      try {
        const result = await rollbackRuns(plan, {
          connections: connections.connections,
          workDir: connections.workDir,
          lockTimeoutMs: opts.lockTimeout,
          ...(opts.run !== undefined ? { run: opts.run } : {}),
          ...(opts.to !== undefined ? { to: opts.to } : {}),
          ...(opts.all ? { all: true } : {}),
          ...(opts.dryRun ? { dryRun: true } : {}),
          ...(opts.contract ? { contract: true } : {}),
          ...(opts.force ? { force: true } : {}),
        });
        if (json) printEnvelope(ctx, 'rollback', { ...result, dryRun: !!opts.dryRun });
        else ctx.out(renderRollback(result, !!opts.dryRun, pc.createColors(ctx.colorOut)));
        ctx.setExit(result.ok ? EXIT_OK : EXIT_PROBLEMS);
      } finally {
        await connections.stop();
      }
    });
}

/** The rollback for a terminal: per run and store each revert (its SQL in a dry run), then each store's comparison. */
export function renderRollback(r: RollbackResult, dryRun: boolean, c: ReturnType<typeof pc.createColors>): string {
  const out: string[] = [];
  for (const e of r.errors) out.push(c.red(e));
  if (r.errors.length === 0 && r.runs.length === 0) out.push('rollback: no run to roll back');
  for (const run of r.runs) {
    out.push(c.bold(`${dryRun ? 'Would roll back' : 'Rolled back'} run ${run}`));
    for (const s of r.steps.filter((x) => x.run === run)) {
      const mark = s.status === 'reverted' ? c.green('✓') : s.status === 'forced' ? c.yellow('!') : c.red('✗');
      out.push(`  ${mark} ${c.cyan(s.store.padEnd(14))} ${s.id} ${c.dim(s.status)}${s.reason ? c.dim(`: ${s.reason}`) : ''}`);
      if (s.error) out.push(`      ${c.red(s.error.message)}`);
      if (s.backup) out.push(`      ${c.dim(`backed up first: ${s.backup}`)}`);
      for (const sql of s.sql ?? []) out.push(c.dim(sql.replace(/^/gm, '      ') + ';'));
    }
  }
  const left = r.steps.filter((s) => s.status !== 'reverted' && s.status !== 'forced');
  if (left.length > 0) out.push(c.yellow(`rollback: ${left.length} step${left.length === 1 ? '' : 's'} left applied: ${left.map((s) => s.id).join(', ')}`));
  for (const cmp of r.comparisons) {
    if (cmp.notCompared) out.push(c.dim(`store ${cmp.store}: not compared with its state before run ${cmp.run}: ${cmp.notCompared}`));
    else if (cmp.differences.length === 0) out.push(c.green(`store ${cmp.store}: schema as before run ${cmp.run}`));
    else out.push(c.red(`store ${cmp.store}: schema differs from before run ${cmp.run}:\n${cmp.differences.map((d) => `  ${d}`).join('\n')}`));
  }
  return out.join('\n') + '\n';
}
