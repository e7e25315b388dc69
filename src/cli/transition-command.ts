/**
 * `topoplan transition --from A.yaml --to B.yaml [--phase ...] [--contract] [--format text|json]`: progress on
 * stderr with --format json. With `--live`, `--status` or `--abort`, the live transition (transition-live.ts).
 */
import { noCacheOption, parseCacheOf } from './parse-cache-option.js';
import type { CliContext } from './cli-context.js';
import { PHASES, type TransitionPhase } from '../transition/phases.js';
import type { Command } from 'commander';
import pc from 'picocolors';
import { cutoverLines, cutoverSetting } from './cutover-lines.js';
import { liveTransitionCommand } from './transition-live.js';
import { TopoplanError } from '../errors.js';
import { EXIT_OK, EXIT_PROBLEMS } from './io.js';
import { milliseconds } from './option-parsers.js';
import { formatOption, jsonOption, outputFormat, printEnvelope } from './output-format.js';
import { dataDirFor, requireTopology } from './require-topology.js';
import { embeddedServerOptions, serverUserOption } from './server-user-option.js';

export function transitionCommand(program: Command, ctx: CliContext): void {
  program
    .command('transition')
    .description('move a running system from topology A to B: expand, copy, verify, cut over, contract (opt-in)')
    .requiredOption('--from <file>', 'the topology applied now')
    .requiredOption('--to <file>', 'the topology to move to')
    .option('--phase <phase...>', `phases to run (${PHASES.join(', ')}); default all but contract`)
    .option('--contract', 'also drop the moved tables from their old database, after a backup')
    .option('--live', 'stream the moving tables with logical replication while the services keep writing, then cut over with a brief write freeze')
    .option('--status', 'show the live transition: per table its initial copy and rows on both sides, the replication lag')
    .option('--abort', 'remove the live transition\'s subscriptions, slots and publications, leaving the old databases as they were')
    .option('--lock-timeout <ms>', 'live cut-over: how long to wait for writers in flight before writes are held', milliseconds(1, 3_600_000), 2000)
    .option('--catch-up-timeout <ms>', 'live: how long to wait for the initial copy and for the lag to drop', milliseconds(1, 86_400_000), 600_000)
    .addOption(formatOption())
    .addOption(jsonOption())
    .option('--data-dir <dir>', 'where embedded engines keep their data and backups go (default: .topoplan/ next to the --to topology)')
    .addOption(serverUserOption())
    .addOption(noCacheOption())
    .action(async (opts: { createServerUser?: boolean; from: string; to: string; phase?: string[]; contract?: boolean; live?: boolean; status?: boolean; abort?: boolean; lockTimeout: number; catchUpTimeout: number; format: string; json?: boolean; dataDir?: string; cache: boolean }) => {
      const [{ resolveConnections }, { planMigration }, { planTransition, runTransition }] = await Promise.all([import('../execute/resolve-connections.js'), import('../plan/plan-migration.js'), import('../transition/index.js')]);
      const json = outputFormat(ctx, 'transition', opts) === 'json';
      const bad = (opts.phase ?? []).filter((p) => !PHASES.includes(p as TransitionPhase));
      if (bad.length) throw new TopoplanError('cli.usage', `transition: unknown phase ${bad.map((b) => `"${b}"`).join(', ')}; phases are ${PHASES.join(', ')}`);
      const [ta, tb] = [await requireTopology(ctx, opts.from), await requireTopology(ctx, opts.to)];
      const tp = planTransition(await planMigration(ta, parseCacheOf(ctx, ta, opts)), await planMigration(tb, parseCacheOf(ctx, tb, opts)));
      const [ca, cb] = [await resolveConnections(ta, { dir: dataDirFor(ctx, tb, opts.dataDir), ...embeddedServerOptions(ctx, opts) }), await resolveConnections(tb, { dir: dataDirFor(ctx, tb, opts.dataDir), ...embeddedServerOptions(ctx, opts) })];
      const c = pc.createColors(json ? ctx.colorErr : ctx.colorOut);
      const say = (l: string) => (json ? ctx.err(l + '\n') : ctx.out(l + '\n'));
      try {
        if (opts.live || opts.status || opts.abort) {
          const mode = opts.abort ? 'abort' : opts.status ? 'status' : 'live';
          const ok = await liveTransitionCommand({ ctx, tp, json, say, c, mode, from: ca.connections, to: cb.connections, workDir: cb.workDir, cutover: { connections: cb.connections, topology: tb, toFile: opts.to }, ...(opts.phase ? { phases: opts.phase as TransitionPhase[] } : {}), contract: !!opts.contract, lockTimeoutMs: opts.lockTimeout, catchUpTimeoutMs: opts.catchUpTimeout });
          ctx.setExit(ok ? EXIT_OK : EXIT_PROBLEMS);
          return;
        }
        const phases = (opts.phase as TransitionPhase[] | undefined) ?? [...PHASES.filter((p) => p !== 'contract'), ...(opts.contract ? (['contract'] as const) : [])];
        const result = await runTransition(tp, {
          fromConnections: ca.connections,
          toConnections: cb.connections,
          phases,
          ...(opts.contract ? { contract: true } : {}),
          workDir: cb.workDir,
          onEvent: (e) => {
            if (e.type === 'phase') say(c.bold(`phase ${e.phase}`) + (e.phase === 'copy' ? c.dim('  (rows B\'s migrations seeded into a moving table are replaced by its copy, in one transaction)') : ''));
            else if (e.type === 'mapping') {
              say(`  ${c.yellow('shape differs'.padEnd(14))} ${e.mapping.table}: A's columns → B's (${e.mapping.format} copy)`);
              for (const m of e.mapping.columns) say(`    ${m.name.padEnd(20)} ${(m.from ?? '-').padEnd(16)} → ${(m.to ?? '-').padEnd(16)} ${m.how === 'copy' ? '' : m.how}`.trimEnd());
            } else if (e.type === 'object') {
              const o = e.result;
              if (o.status !== 'absent') say(`  ${o.status === 'failed' ? c.red(o.status.padEnd(14)) : c.green(o.status.padEnd(14))} ${o.kind.replace('_', ' ')} ${o.dropped?.join(', ') ?? o.name} in ${o.from}${o.error ? `: ${o.error}` : ''}`);
            } else {
              const replaced = Object.entries(e.result.replaced ?? {}).map(([t, n]) => `${n} in ${t}`);
              say(`  ${e.result.status === 'failed' || e.result.status === 'mismatch' ? c.red(e.result.status.padEnd(14)) : c.green(e.result.status.padEnd(14))} ${e.result.table} ${e.result.from} → ${e.result.to}${e.result.rows !== undefined ? ` (${e.result.rows} rows${replaced.length ? `; replaced seed rows: ${replaced.join(', ')}` : ''})` : ''}${e.result.error ? `: ${e.result.error}` : ''}`);
            }
          },
        });
        if (result.expand) say(`  expand: ${result.expand.steps.filter((s) => s.status === 'applied').length} steps applied, ${result.expand.steps.filter((s) => s.status === 'already-applied').length} already applied${result.expand.ok ? '' : c.red(' (failed)')}`);
        for (const r of result.expand?.rootCauses ?? []) if (r.status === 'failed') ctx.err(c.red(`transition: ${r.id}: ${r.error?.message}`) + '\n');
        const where = { connections: cb.connections, topology: tb, toFile: opts.to };
        for (const l of cutoverLines(result.cutover, where, c)) say(l);
        for (const b of result.backups) say(c.yellow(`backup of ${b.table} (${b.rows} rows): ${b.path}`));
        if (json) printEnvelope(ctx, 'transition', { ...result, cutover: result.cutover.map((s) => ({ ...s, setting: `${s.env}=${cutoverSetting(s, where).value}` })) });
        ctx.setExit(result.ok ? EXIT_OK : EXIT_PROBLEMS);
      } finally {
        await ca.stop();
        await cb.stop();
      }
    });
}
