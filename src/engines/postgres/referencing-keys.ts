/**
 * Foreign keys of other tables that point at a table (or at some of its
 * columns). `DROP TABLE t CASCADE`, `DROP SCHEMA s CASCADE` and
 * `ALTER TABLE t DROP COLUMN c CASCADE` drop them along with what they
 * reference, although they belong to tables the statement keeps. A backup
 * records them ({@link referencingKeys}) so that restoring the table or the
 * column adds them back ({@link addReferencingKeys}) to each referencing
 * table that is still there and lacks them.
 *
 * @example
 * await referencingKeys(client, 'public.parents', { exclude: new Set(['public.parents']) });
 * // [{ table: 'public.kids', name: 'kids_parent_id_fkey', definition: 'FOREIGN KEY (parent_id) REFERENCES parents(id)' }]
 */
import type pg from 'pg';
import type { ReferencingKey } from '../backup-manifest.js';
import { quoteIdent, quoteQualified } from './postgres-url.js';

// Keys a partition inherits from its parent (conparentid) come back with the parent's.
const REFERENCING = `SELECT n.nspname || '.' || c.relname AS "table", con.conname AS name, pg_get_constraintdef(con.oid) AS definition,
    ARRAY(SELECT a.attname::text FROM unnest(con.confkey) k JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k) AS columns
  FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE con.contype = 'f' AND con.confrelid = to_regclass($1) AND con.conrelid <> con.confrelid AND con.conparentid = 0
  ORDER BY 1, 2`;

/**
 * The foreign keys of other tables that reference `table` (qualified), or, given `columns`,
 * those that reference one of them; keys of tables in `exclude` (backed up whole, keys and all) are left out.
 */
export async function referencingKeys(client: pg.ClientBase, table: string, o: { columns?: readonly string[]; exclude?: ReadonlySet<string> } = {}): Promise<ReferencingKey[]> {
  const rows = (await client.query<ReferencingKey & { columns: string[] }>(REFERENCING, [quoteQualified(table)])).rows;
  return rows
    .filter((k) => !o.exclude?.has(k.table) && (!o.columns || k.columns.some((c) => o.columns!.includes(c))))
    .map((k) => ({ table: k.table, name: k.name, definition: k.definition }));
}

/** Adds each key back to its table when that table exists and has no constraint of that name; returns the keys added, as `table.name`. */
export async function addReferencingKeys(client: pg.ClientBase, keys: readonly ReferencingKey[]): Promise<string[]> {
  const added: string[] = [];
  for (const k of keys) {
    const there = (await client.query<{ table: string | null; has: boolean }>(
      'SELECT to_regclass($1)::text AS "table", EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass($1) AND conname = $2) AS has',
      [quoteQualified(k.table), k.name],
    )).rows[0]!;
    if (there.table === null || there.has) continue;
    await client.query(`ALTER TABLE ${quoteQualified(k.table)} ADD CONSTRAINT ${quoteIdent(k.name)} ${k.definition}`);
    added.push(`${k.table}.${k.name}`);
  }
  return added;
}
