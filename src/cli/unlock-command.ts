/**
 * `topoplan unlock FILE --store NAME [--force]`: breaks a store's lock claim
 * on purpose, saying who held it since when. A claim of a process that
 * provably still runs is kept unless --force (it would find its lock lost
 * and start no new step, but a step it is running would overlap the next
 * apply). PostgreSQL locks end with their holder's connection: unlock names
 * the holder and how to end that connection. Exit 0 when the store is
 * unlocked (or was not locked), 1 when the lock is still held, 2 on usage.
 */
import type { Command } from 'commander';
import pc from 'picocolors';
import { engineFor } from '../engines/registry.js';
import { TopoplanError } from '../errors.js';
import type { CliContext } from './cli-context.js';
import { EXIT_OK, EXIT_PROBLEMS } from './io.js';
import { formatOption, jsonOption, outputFormat, printEnvelope } from './output-format.js';
import { dataDirFor, requireStore, requireTopology } from './require-topology.js';
import { unlockMessage } from './unlock-message.js';
import { serverUserChoice, serverUserOption } from './server-user-option.js';

export function unlockCommand(program: Command, ctx: CliContext): void {
  program
    .command('unlock')
    .description("break a store's lock claim on purpose (a claim left by an apply on another host, or a stuck one)")
    .argument('[file]', 'topology YAML (default: topoplan.yaml here or in a parent directory)')
    .requiredOption('--store <name>', 'the store whose lock to break')
    .option('--force', 'break it even when its holder still runs on this host')
    .addOption(formatOption())
    .addOption(jsonOption())
    .option('--data-dir <dir>', 'where embedded engines keep their data (default: .topoplan/ next to the topology)')
    .addOption(serverUserOption())
    .action(async (file: string | undefined, opts: { createServerUser?: boolean; store: string; force?: boolean; dataDir?: string; format: string; json?: boolean }) => {
      const { resolveConnections } = await import('../execute/resolve-connections.js');
      const json = outputFormat(ctx, 'unlock', opts) === 'json';
      const topology = await requireTopology(ctx, file);
      const store = await requireStore(topology, 'unlock', opts.store);
      const c = pc.createColors(ctx.colorOut);
      const conns = await resolveConnections(topology, { dir: dataDirFor(ctx, topology, opts.dataDir), create: false, ...serverUserChoice(opts), onNote: (n) => ctx.err(c.dim(`topoplan: ${n}`) + '\n') });
      try {
        const url = conns.connections[store.name];
        if (!url) throw new TopoplanError('unlock.unreachable', `unlock: ${conns.reasons[store.name] ?? `store "${store.name}" has no url`}`);
        const session = await engineFor(store.engine).connect({ store: store.name, database: store.database, url });
        try {
          const r = await session.breakLock(opts.force ? { force: true } : {});
          const h = r.holder;
          if (json) printEnvelope(ctx, 'unlock', { ok: !h || r.broken, store: store.name, locked: !!h && !r.broken, broken: r.broken, ...(h ? { holder: h, holderState: r.holderState } : {}) });
          else {
            const m = unlockMessage(store.name, r);
            if ('out' in m) ctx.out(m.out);
            else ctx.err(c.yellow(m.warning) + '\n');
          }
          ctx.setExit(!h || r.broken ? EXIT_OK : EXIT_PROBLEMS);
        } finally {
          await session.close();
        }
      } finally {
        await conns.stop();
      }
    });
}
