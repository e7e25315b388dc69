/**
 * The ledgers other migration tools keep in a PostgreSQL database, read as
 * evidence of which files ran: Flyway's `flyway_schema_history` (script and
 * version, successful rows only), dbmate's `schema_migrations` (one row per
 * version) and golang-migrate's `schema_migrations` (the one current version,
 * every version up to it applied unless it is dirty). Tables that are not
 * there are skipped.
 *
 * @example
 * await readKnownLedgers(client) // [{ tool: 'dbmate', table: 'public.schema_migrations', version: '20240101120000' }]
 */
import type pg from 'pg';
import type { KnownLedgerRow } from '../engine.js';

export async function readKnownLedgers(client: pg.ClientBase): Promise<KnownLedgerRow[]> {
  const tables = await client.query<{ schema: string; name: string; columns: string[] }>(
    `SELECT n.nspname AS schema, c.relname AS name, array_agg(a.attname::text ORDER BY a.attname) AS columns
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      WHERE c.relkind = 'r' AND c.relname IN ('flyway_schema_history', 'schema_migrations') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      GROUP BY n.nspname, c.relname ORDER BY 1, 2`,
  );
  const out: KnownLedgerRow[] = [];
  for (const t of tables.rows) {
    const table = `${t.schema}.${t.name}`;
    const q = `"${t.schema.replace(/"/g, '""')}"."${t.name.replace(/"/g, '""')}"`;
    if (t.name === 'flyway_schema_history' && t.columns.includes('script')) {
      const r = await client.query<{ version: string | null; script: string }>(`SELECT version, script FROM ${q} WHERE success ORDER BY installed_rank`);
      for (const row of r.rows) out.push({ tool: 'flyway', table, ...(row.version ? { version: row.version } : {}), script: row.script });
    } else if (t.name === 'schema_migrations' && t.columns.includes('dirty')) {
      // golang-migrate keeps only the current version: every file up to it ran, unless the last one is dirty.
      const r = await client.query<{ version: string; dirty: boolean }>(`SELECT version::text AS version, dirty FROM ${q}`);
      for (const row of r.rows) out.push({ tool: 'golang-migrate', table, version: row.version, upTo: true, ...(row.dirty ? { dirty: true } : {}) });
    } else if (t.name === 'schema_migrations' && t.columns.includes('version')) {
      const r = await client.query<{ version: string }>(`SELECT version::text AS version FROM ${q} ORDER BY version`);
      for (const row of r.rows) out.push({ tool: 'dbmate', table, version: row.version });
    }
  }
  return out;
}
