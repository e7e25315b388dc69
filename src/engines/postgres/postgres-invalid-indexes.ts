/**
 * Indexes a PostgreSQL database holds but cannot use: a `CREATE INDEX
 * CONCURRENTLY` that was cancelled or failed leaves its index behind, marked
 * INVALID, which the planner and `\d` alike would otherwise take as built.
 *
 * @example
 * await invalidIndexes(client) // ['public.idx_messages_conversation_created']
 */
import type pg from 'pg';

export async function invalidIndexes(client: pg.ClientBase): Promise<string[]> {
  const r = await client.query<{ name: string }>(
    `SELECT n.nspname || '.' || c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE NOT i.indisvalid AND n.nspname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`,
  );
  return r.rows.map((row) => row.name);
}
