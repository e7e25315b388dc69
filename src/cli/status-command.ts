/** `topoplan status FILE`: per store, what is applied, pending, changed, unfinished, orphaned or unknown. */
import type { CliContext } from './cli-context.js';
import type { Command } from 'commander';
import pc from 'picocolors';
import { closeSessions, openSessions } from '../execute/open-sessions.js';
import { resolveConnections } from '../execute/resolve-connections.js';
import { storeStatus } from '../execute/store-status.js';
import { planMigration } from '../plan/plan-migration.js';
import { driftLines, hasDrift } from './drift-lines.js';
import { requireTopology } from './require-topology.js';
import { EXIT_OK, EXIT_PROBLEMS } from './io.js';

export function statusCommand(program: Command, ctx: CliContext): void {
  program
    .command('status')
    .description('per store: steps applied, pending, statements changed since applied, ledger records no statement claims, objects no migration created, and drift from the committed schema')
    .argument('<file>', 'topology YAML')
    .option('--json', 'print the status as JSON')
    .option('--data-dir <dir>', 'where embedded engines keep their data', '.topoplan')
    .action(async (file: string, opts: { json?: boolean; dataDir: string }) => {
      const topology = await requireTopology(ctx, file);
      const plan = await planMigration(topology, { allowErrors: true });
      const conns = await resolveConnections(topology, { dir: opts.dataDir });
      const sessions = await openSessions(plan.stores, conns.connections);
      try {
        const status = await storeStatus(plan, sessions, { schemaDir: topology.schemaDir });
        if (opts.json) ctx.out(JSON.stringify(status, null, 2) + '\n');
        else {
          const c = pc.createColors(ctx.colorOut);
          for (const s of status) {
            const head = `${c.bold(s.store.padEnd(16))} ${s.reachable ? `${s.applied} applied, ${s.pending.length} pending, ${s.changed.length} changed, ${s.unfinished.length} unfinished, ${s.orphaned.length} orphaned, ${s.unknown.length} unknown` : c.yellow(`not reachable: ${conns.reasons[s.store] ?? 'no url'}`)}`;
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
            for (const l of driftLines(s.drift!, s.unknown, c)) say(l);
          }
        }
        ctx.setExit(status.some((s) => s.changed.length || s.unfinished.length || hasDrift(s.drift)) ? EXIT_PROBLEMS : EXIT_OK);
      } finally {
        await closeSessions(sessions);
        await conns.stop();
      }
    });
}
