/**
 * Empties a check's scratch engines for the next check: every database a
 * check made, and what lives outside databases (PostgreSQL roles, ClickHouse
 * SQL functions), so a second check on the same engines starts as the first
 * did. Only for scratch engines: it drops everything that is not the
 * engine's own.
 *
 * @example
 * await resetScratchPostgres(scratchUrl)
 * await resetScratchClickHouse(handle)
 */
import pg from 'pg';
import type { ChdbHandle } from '../engines/clickhouse/chdb-registry.js';
import { chIdent } from '../engines/clickhouse/clickhouse-sql.js';

/** Databases every PostgreSQL cluster has; a check that writes into one of them cannot be undone by a reset. */
export const POSTGRES_OWN_DATABASES: ReadonlySet<string> = new Set(['postgres', 'template0', 'template1']);
/** Databases every ClickHouse server has. */
export const CLICKHOUSE_OWN_DATABASES: ReadonlySet<string> = new Set(['system', 'default', 'INFORMATION_SCHEMA', 'information_schema']);

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function resetScratchPostgres(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, application_name: 'topoplan check reset' });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const dbs = await client.query<{ datname: string }>('SELECT datname FROM pg_database ORDER BY datname');
    for (const { datname } of dbs.rows) if (!POSTGRES_OWN_DATABASES.has(datname)) await client.query(`DROP DATABASE ${ident(datname)} WITH (FORCE)`);
    const roles = await client.query<{ rolname: string }>("SELECT rolname FROM pg_roles WHERE rolname !~ '^pg_' AND rolname <> current_user ORDER BY rolname");
    for (const { rolname } of roles.rows) {
      await client.query(`DROP OWNED BY ${ident(rolname)}`);
      await client.query(`DROP ROLE ${ident(rolname)}`);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function resetScratchClickHouse(handle: ChdbHandle): Promise<void> {
  await handle.run(async (client) => {
    const dbs = await (await client.query({ query: 'SELECT name FROM system.databases ORDER BY name', format: 'JSONEachRow' })).json<{ name: string }>();
    for (const { name } of dbs) if (!CLICKHOUSE_OWN_DATABASES.has(name)) await client.command({ query: `DROP DATABASE IF EXISTS ${chIdent(name)} SYNC` });
    const fns = await (await client.query({ query: "SELECT name FROM system.functions WHERE origin = 'SQLUserDefined' ORDER BY name", format: 'JSONEachRow' })).json<{ name: string }>();
    for (const { name } of fns) await client.command({ query: `DROP FUNCTION IF EXISTS ${chIdent(name)}` });
  }, 'default');
}
