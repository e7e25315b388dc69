/** `topoplan verify FILE`: checks the topology's expectations against the databases, and each store's drift from its committed schema. */
import type { CliContext } from './cli-context.js';
import type { Command } from 'commander';
import pc from 'picocolors';
import { closeSessions, openSessions } from '../execute/open-sessions.js';
import { resolveConnections } from '../execute/resolve-connections.js';
import { verifyExpectations } from '../execute/verify.js';
import { storeStatus } from '../execute/store-status.js';
import { planMigration } from '../plan/plan-migration.js';
import { driftLines, hasDrift } from './drift-lines.js';
import { requireTopology } from './require-topology.js';
import { EXIT_OK, EXIT_PROBLEMS } from './io.js';

export function verifyCommand(program: Command, ctx: CliContext): void {
  program
    .command('verify')
    .description("check the topology's expectations against the databases, and what changed in them outside migrations")
    .argument('<file>', 'topology YAML')
    .option('--contract', 'also check expectations that wait for the contract phase')
    .option('--data-dir <dir>', 'where embedded engines keep their data', '.topoplan')
    .action(async (file: string, opts: { contract?: boolean; dataDir: string }) => {
      const topology = await requireTopology(ctx, file);
      const c = pc.createColors(ctx.colorOut);
      const conns = await resolveConnections(topology, { dir: opts.dataDir });
      const sessions = await openSessions(topology.stores.values(), conns.connections);
      try {
        const result = await verifyExpectations(topology.expectations, sessions, { contractApplied: !!opts.contract });
        for (const k of result.checks) ctx.out(`${k.status === 'ok' ? c.green('ok     ') : k.status === 'failed' ? c.red('FAILED ') : c.yellow(k.status.padEnd(7))} ${k.store.padEnd(14)} ${k.message} ${c.dim(`(${k.at})`)}\n`);
        const plan = await planMigration(topology, { allowErrors: true });
        const status = (await storeStatus(plan, sessions, { schemaDir: topology.schemaDir })).filter((s) => s.reachable);
        for (const s of status) {
          const lines = driftLines(s.drift!, s.unknown, c);
          if (lines.length > 0) ctx.out(`${c.bold(s.store)}\n${lines.join('\n')}\n`);
        }
        ctx.setExit(result.ok && !status.some((s) => hasDrift(s.drift)) ? EXIT_OK : EXIT_PROBLEMS);
      } finally {
        await closeSessions(sessions);
        await conns.stop();
      }
    });
}
