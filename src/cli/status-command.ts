/**
 * `topoplan status [FILE] [--format text|json] [--detailed-exitcode]`: per store, what is applied, pending,
 * changed, unfinished, orphaned or unknown, sqlx rows a service's migrator would reject, and drift. Exit 1 on
 * changed or unfinished steps, an sqlx row of other bytes or marked failed, or drift; with
 * --detailed-exitcode, 2 when steps are pending or an sqlx row is missing (a store not reachable counts its steps as pending).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CliContext } from './cli-context.js';
import type { Command } from 'commander';
import pc from 'picocolors';
import { driftLines, hasDrift } from './drift-lines.js';
import { dataDirFor, requireTopology } from './require-topology.js';
import { noCacheOption, parseCacheOf } from './parse-cache-option.js';
import { EXIT_OK, EXIT_PROBLEMS, printDiagnostics } from './io.js';
import { detailedExitOption, EXIT_CHANGES, formatOption, jsonOption, outputFormat, printEnvelope } from './output-format.js';
import { embeddedServerOptions, serverUserOption } from './server-user-option.js';

export function statusCommand(program: Command, ctx: CliContext): void {
  program
    .command('status')
    .description('per store: steps applied, pending, statements changed since applied, ledger records no statement claims, objects no migration created, and drift from the committed schema')
    .argument('[file]', 'topology YAML (default: topoplan.yaml here or in a parent directory)')
    .addOption(formatOption())
    .addOption(jsonOption())
    .addOption(detailedExitOption('steps are pending'))
    .option('--data-dir <dir>', 'where embedded engines keep their data (default: .topoplan/ next to the topology)')
    .addOption(serverUserOption())
    .addOption(noCacheOption())
    .action(async (file: string | undefined, opts: { createServerUser?: boolean; format: string; json?: boolean; detailedExitcode?: boolean; dataDir?: string; cache: boolean }) => {
      const [{ closeSessions, openSessions }, { resolveConnections }, { storeStatus }, { planMigration }] = await Promise.all([import('../execute/open-sessions.js'), import('../execute/resolve-connections.js'), import('../execute/store-status.js'), import('../plan/plan-migration.js')]);
      const format = outputFormat(ctx, 'status', opts);
      const topology = await requireTopology(ctx, file);
      const plan = await planMigration(topology, { allowErrors: true, ...parseCacheOf(ctx, topology, { ...opts, readOnly: true }) });
      printDiagnostics(ctx, plan.diagnostics.filter((d) => d.severity === 'error'));
      const conns = await resolveConnections(topology, { dir: dataDirFor(ctx, topology, opts.dataDir), create: false, ...embeddedServerOptions(ctx, opts) });
      const sessions = await openSessions(plan.stores, conns.connections);
      try {
        const status = await storeStatus(plan, sessions, { schemaDir: topology.schemaDir, readSource: (f) => readFileSync(join(topology.root, f)) });
        const failed = status.some((s) => s.changed.length || s.unfinished.length || s.sqlx.some((x) => x.problem !== 'missing') || hasDrift(s.drift));
        // A missing sqlx row is work the next apply does, like a pending step.
        const pending = status.some((s) => s.pending.length > 0 || s.sqlx.some((x) => x.problem === 'missing'));
        if (format === 'json') printEnvelope(ctx, 'status', { ok: !failed, pending, stores: status.map((s) => (s.reachable ? s : { ...s, reason: conns.reasons[s.store] ?? 'no url' })) });
        else {
          const c = pc.createColors(ctx.colorOut);
          for (const s of status) {
            const head = `${c.bold(s.store.padEnd(16))} ${s.reachable ? `${s.applied} applied, ${s.pending.length} pending, ${s.changed.length} changed, ${s.unfinished.length} unfinished, ${s.orphaned.length} orphaned, ${s.unknown.length} unknown${s.sqlx.length ? `, ${s.sqlx.length} sqlx row${s.sqlx.length === 1 ? '' : 's'} to fix` : ''}` : c.yellow(`not reachable: ${conns.reasons[s.store] ?? 'no url'}`)}`;
            ctx.out(head + '\n');
            if (!s.reachable) continue;
            const say = (l: string) => ctx.out(l + '\n');
            for (const id of s.pending) say(`  ${c.cyan('pending   ')} ${id}`);
            for (const ch of s.changed) {
              say(`  ${c.red('changed   ')} ${ch.file}:${ch.line} statement ${ch.statement} (step ${ch.step}), applied at ${ch.appliedAt}`);
              say(ch.change.replace(/^/gm, '    '));
              say(c.dim(`             what to do: ${ch.hint}`));
            }
            for (const id of s.unfinished) say(`  ${c.red('unfinished')} ${id}`);
            for (const o of s.orphaned) {
              say(`  ${c.yellow('orphaned  ')} ${o.file ? `${o.file}${o.statement ? ` statement ${o.statement}` : ''}` : o.recordedAs}: ${o.reason}`);
              say(c.dim(`             recorded as ${o.recordedAs} at ${o.appliedAt}: ${o.sql}`));
              say(c.dim(`             what to do: ${o.hint}`));
            }
            for (const x of s.sqlx) {
              say(`  ${x.problem === 'missing' ? c.yellow('sqlx row  ') : c.red('sqlx row  ')} ${x.message.replace(/\n/g, '\n           ')}`);
              say(c.dim(`             what to do: ${x.hint}`));
            }
            for (const l of driftLines(s.drift!, s.unknown, c)) say(l);
          }
        }
        ctx.setExit(failed ? EXIT_PROBLEMS : opts.detailedExitcode && pending ? EXIT_CHANGES : EXIT_OK);
      } finally {
        await closeSessions(sessions);
        await conns.stop();
      }
    });
}
