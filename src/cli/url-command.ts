/**
 * `topoplan url [FILE] --store NAME`: a connection URL for one store, to look
 * inside with psql or a GUI. A store without a url uses the embedded
 * PostgreSQL server under the data directory: it is started (and created if
 * need be) and keeps running after this command, until `topoplan stop`. Its
 * credentials are local and fixed, so the URL is printed whole; a store's own
 * url comes from the topology or the environment and is printed masked.
 */
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { databaseUrl } from '../engines/postgres/postgres-url.js';
import { TopoplanError } from '../errors.js';
import type { CliContext } from './cli-context.js';
import { EXIT_OK } from './io.js';
import { envelope, formatOption, jsonOption, outputFormat, printEnvelope } from './output-format.js';
import { dataDirFor, requireStore, requireTopology } from './require-topology.js';
import { embeddedServerOptions, serverUserOption } from './server-user-option.js';

export function urlCommand(program: Command, ctx: CliContext): void {
  program
    .command('url')
    .description("print a store's connection URL; an embedded PostgreSQL server is started and kept running until topoplan stop")
    .argument('[file]', 'topology YAML (default: topoplan.yaml here or in a parent directory)')
    .requiredOption('--store <name>', 'the store')
    .addOption(formatOption())
    .addOption(jsonOption())
    .option('--data-dir <dir>', 'where embedded engines keep their data (default: .topoplan/ next to the topology)')
    .addOption(serverUserOption())
    .action(async (file: string | undefined, opts: { createServerUser?: boolean; store: string; dataDir?: string; format: string; json?: boolean }) => {
      const { startEmbeddedPostgres } = await import('../engines/embedded/start-embedded-postgres.js');
      const json = outputFormat(ctx, 'url', opts) === 'json';
      const topology = await requireTopology(ctx, file);
      const store = await requireStore(topology, 'url', opts.store);
      if (store.url) {
        const url = store.engine === 'postgres' ? databaseUrl(store.url, store.database) : store.url;
        if (json) printEnvelope(ctx, 'url', { ok: true, store: store.name, url, embedded: false });
        else ctx.out(`${url}\n`);
        ctx.err(`url: store "${store.name}" has its own url (its password, if any, is masked: it is in your topology or environment)\n`);
        ctx.setExit(EXIT_OK);
        return;
      }
      const dir = dataDirFor(ctx, topology, opts.dataDir);
      if (store.engine !== 'postgres') {
        const message = store.engine === 'neo4j'
          ? `url: store "${store.name}" (neo4j) has no url, and Neo4j has no embedded engine`
          : `url: store "${store.name}" uses embedded ClickHouse (chdb), which runs inside topoplan and has no server to connect to`;
        const hint = store.engine === 'neo4j' ? `set the store's url (url: \${NEO4J_URL}) to a Neo4j server` : `read its data with clickhouse local --path ${resolve(dir, 'clickhouse')} (while no apply runs), or give the store a url of a ClickHouse server`;
        throw new TopoplanError('url.no_server', message, [{ code: 'url.no_server', severity: 'error', message, file: store.pos.file, line: store.pos.line, column: store.pos.column, hint }]);
      }
      const pg = await startEmbeddedPostgres({ dir: resolve(dir, 'postgres'), ...embeddedServerOptions(ctx, opts) });
      const url = databaseUrl(pg.url, store.database);
      if (json) ctx.outUnmasked(envelope('url', { ok: true, store: store.name, url, embedded: true, dataDir: resolve(dir, 'postgres') }));
      else ctx.outUnmasked(`${url}\n`);
      ctx.err(`url: embedded PostgreSQL ${pg.started ? 'started' : 'runs'} with data in ${resolve(dir, 'postgres')}; it keeps running until: topoplan stop${file ? ` ${file}` : ''}\n`);
      ctx.setExit(EXIT_OK);
    });
}
