/** `topoplan verify [FILE] [--format text|json]`: checks the topology's expectations against the databases, and each store's drift from its committed schema. */
import type { CliContext } from './cli-context.js';
import type { Command } from 'commander';
import pc from 'picocolors';
import { driftLines, hasDrift } from './drift-lines.js';
import { dataDirFor, requireTopology } from './require-topology.js';
import { noCacheOption, parseCacheOf } from './parse-cache-option.js';
import { EXIT_OK, EXIT_PROBLEMS } from './io.js';
import { formatOption, jsonOption, outputFormat, printEnvelope } from './output-format.js';
import { embeddedServerOptions, serverUserOption } from './server-user-option.js';

export function verifyCommand(program: Command, ctx: CliContext): void {
  program
    .command('verify')
    .description("check the topology's expectations against the databases, and what changed in them outside migrations")
    .argument('[file]', 'topology YAML (default: topoplan.yaml here or in a parent directory)')
    .option('--contract', 'also check expectations that wait for the contract phase')
    .addOption(formatOption())
    .addOption(jsonOption())
    .option('--data-dir <dir>', 'where embedded engines keep their data (default: .topoplan/ next to the topology)')
    .addOption(serverUserOption())
    .addOption(noCacheOption())
    .action(async (file: string | undefined, opts: { createServerUser?: boolean; contract?: boolean; dataDir?: string; cache: boolean; format: string; json?: boolean }) => {
      const [{ closeSessions, openSessions }, { resolveConnections }, { verifyExpectations }, { storeStatus }, { planMigration }] = await Promise.all([import('../execute/open-sessions.js'), import('../execute/resolve-connections.js'), import('../execute/verify.js'), import('../execute/store-status.js'), import('../plan/plan-migration.js')]);
      const format = outputFormat(ctx, 'verify', opts);
      const topology = await requireTopology(ctx, file);
      const c = pc.createColors(ctx.colorOut);
      const conns = await resolveConnections(topology, { dir: dataDirFor(ctx, topology, opts.dataDir), create: false, ...embeddedServerOptions(ctx, opts) });
      const sessions = await openSessions(topology.stores.values(), conns.connections);
      try {
        const result = await verifyExpectations(topology.expectations, sessions, { contractApplied: !!opts.contract });
        if (format !== 'json') for (const k of result.checks) ctx.out(`${k.status === 'ok' ? c.green('ok     ') : k.status === 'failed' ? c.red('FAILED ') : c.yellow(k.status.padEnd(7))} ${k.store.padEnd(14)} ${k.message} ${c.dim(`(${k.at})`)}\n`);
        const plan = await planMigration(topology, { allowErrors: true, ...parseCacheOf(ctx, topology, { ...opts, readOnly: true }) });
        const status = (await storeStatus(plan, sessions, { schemaDir: topology.schemaDir })).filter((s) => s.reachable);
        if (format === 'json') printEnvelope(ctx, 'verify', { ok: result.ok && !status.some((s) => hasDrift(s.drift)), checks: result.checks, drift: status.map((s) => ({ store: s.store, drift: s.drift })) });
        else for (const s of status) {
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
