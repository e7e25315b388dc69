/** `topoplan verify FILE`: checks the topology's expectations against the databases. */
import type { CliContext } from './cli-context.js';
import type { Command } from 'commander';
import pc from 'picocolors';
import { closeSessions, openSessions } from '../execute/open-sessions.js';
import { resolveConnections } from '../execute/resolve-connections.js';
import { verifyExpectations } from '../execute/verify.js';
import { requireTopology } from './require-topology.js';
import { EXIT_OK, EXIT_PROBLEMS } from './io.js';

export function verifyCommand(program: Command, ctx: CliContext): void {
  program
    .command('verify')
    .description("check the topology's expectations (tables, triggers, indexes, rows) against the databases")
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
        ctx.setExit(result.ok ? EXIT_OK : EXIT_PROBLEMS);
      } finally {
        await closeSessions(sessions);
        await conns.stop();
      }
    });
}
