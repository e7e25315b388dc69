/** `topoplan status FILE`: per store, what is applied, pending, changed or unknown. */
import type { CliContext } from './cli-context.js';
import type { Command } from 'commander';
import pc from 'picocolors';
import { closeSessions, openSessions } from '../execute/open-sessions.js';
import { resolveConnections } from '../execute/resolve-connections.js';
import { storeStatus } from '../execute/store-status.js';
import { planMigration } from '../plan/plan-migration.js';
import { requireTopology } from './require-topology.js';
import { EXIT_OK, EXIT_PROBLEMS } from './io.js';

export function statusCommand(program: Command, ctx: CliContext): void {
  program
    .command('status')
    .description('per store: steps applied, pending, changed since applied, and objects no migration created')
    .argument('<file>', 'topology YAML')
    .option('--json', 'print the status as JSON')
    .option('--data-dir <dir>', 'where embedded engines keep their data', '.topoplan')
    .action(async (file: string, opts: { json?: boolean; dataDir: string }) => {
      const topology = await requireTopology(ctx, file);
      const plan = await planMigration(topology, { allowErrors: true });
      const conns = await resolveConnections(topology, { dir: opts.dataDir });
      const sessions = await openSessions(plan.stores, conns.connections);
      try {
        const status = await storeStatus(plan, sessions);
        if (opts.json) ctx.out(JSON.stringify(status, null, 2) + '\n');
        else {
          const c = pc.createColors(ctx.colorOut);
          for (const s of status) {
            const head = `${c.bold(s.store.padEnd(16))} ${s.reachable ? `${s.applied} applied, ${s.pending.length} pending, ${s.changed.length} changed, ${s.unfinished.length} unfinished, ${s.unknown.length} unknown` : c.yellow(`not reachable: ${conns.reasons[s.store] ?? 'no url'}`)}`;
            ctx.out(head + '\n');
            if (!s.reachable) continue;
            for (const id of s.pending) ctx.out(`  ${c.cyan('pending   ')} ${id}\n`);
            for (const id of s.changed) ctx.out(`  ${c.red('changed   ')} ${id}\n`);
            for (const id of s.unfinished) ctx.out(`  ${c.red('unfinished')} ${id}\n`);
            for (const n of s.unknown) ctx.out(`  ${c.yellow('unknown   ')} ${n}\n`);
          }
        }
        ctx.setExit(status.some((s) => s.changed.length || s.unfinished.length) ? EXIT_PROBLEMS : EXIT_OK);
      } finally {
        await closeSessions(sessions);
        await conns.stop();
      }
    });
}
