/** `topoplan verify FILE`: checks the topology's expectations against the databases. */
import type { Command } from 'commander';
import pc from 'picocolors';
import type { EngineSession } from '../engines/engine.js';
import { engineFor } from '../engines/registry.js';
import { resolveConnections } from '../execute/resolve-connections.js';
import { verifyExpectations } from '../execute/verify.js';
import { loadTopology } from '../topology/index.js';
import { TopoplanError } from '../errors.js';
import { EXIT_OK, EXIT_PROBLEMS, useColor } from './io.js';

export function verifyCommand(program: Command, setExit: (code: number) => void): void {
  program
    .command('verify')
    .description("check the topology's expectations (tables, triggers, indexes, rows) against the databases")
    .argument('<file>', 'topology YAML')
    .option('--contract', 'also check expectations that wait for the contract phase')
    .option('--data-dir <dir>', 'where embedded engines keep their data', '.topoplan')
    .action(async (file: string, opts: { contract?: boolean; dataDir: string }) => {
      const { topology, diagnostics } = await loadTopology(file);
      if (!topology) throw new TopoplanError('topology.invalid', `topology: "${file}" is not valid`, diagnostics);
      const c = pc.createColors(useColor());
      const conns = await resolveConnections(topology, { dir: opts.dataDir });
      const sessions = new Map<string, EngineSession>();
      try {
        for (const store of topology.stores.values()) {
          const url = conns.connections[store.name];
          if (url) sessions.set(store.name, await engineFor(store.engine).connect({ store: store.name, database: store.database, url }));
        }
        const result = await verifyExpectations(topology.expectations, sessions, { contractApplied: !!opts.contract });
        for (const k of result.checks) process.stdout.write(`${k.status === 'ok' ? c.green('ok     ') : k.status === 'failed' ? c.red('FAILED ') : c.yellow(k.status.padEnd(7))} ${k.store.padEnd(14)} ${k.message} ${c.dim(`(${k.at})`)}\n`);
        setExit(result.ok ? EXIT_OK : EXIT_PROBLEMS);
      } finally {
        for (const s of sessions.values()) await s.close();
        await conns.stop();
      }
    });
}
