/**
 * What a PostgreSQL backup must keep for a step, read from what the step
 * destroys (see the plan's `Step.destroys`) and from the live catalog, which
 * alone knows what an unqualified name, a schema or a CASCADE reaches now:
 * - a dropped table: the table, and each partition it has;
 * - a dropped schema: every table in it;
 * - TRUNCATE or DELETE without WHERE: the table (with CASCADE, every table whose foreign keys reach it);
 * - a dropped or rewritten column, UPDATE without WHERE: the table's key and those columns
 *   (the whole table when it has no key to restore rows by);
 * - with a dropped table or column, the foreign keys of other tables that reference it (referencing-keys.ts);
 * - what no backup here can keep (a database, a materialized view's computed rows, what a
 *   CASCADE reaches beyond tables) is named in `notBackedUp`.
 *
 * @example
 * const { targets } = await backupTargets(client, step.destroys);
 * // [{ kind: 'columns', table: 'public.accounts', destroys: 'drop_column', columns: ['legacy_note'] }]
 */
import type pg from 'pg';
import type { DestructionKind, ObjectRef } from '../../sql/effects.js';
import type { StepDestruction } from '../../plan/model.js';
import { BACKED_UP_REACH } from '../../plan/resolve/backup-coverage.js';
import { quoteIdent } from './postgres-url.js';

export interface BackupTarget {
  /** `table`: definition and rows; `columns`: key and these columns. */
  readonly kind: 'table' | 'columns';
  /** Qualified as the inspection names it: `schema.table`. */
  readonly table: string;
  readonly destroys: DestructionKind;
  /** `columns`: the columns destroyed (those that exist). */
  readonly columns?: readonly string[];
}

export interface BackupTargets {
  readonly targets: readonly BackupTarget[];
  readonly notBackedUp: readonly string[];
}

interface Relation { oid: string; name: string; kind: string }

const RELATION = `SELECT c.oid::text AS oid, n.nspname || '.' || c.relname AS name, c.relkind::text AS kind
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass($1)`;
const PARTITIONS = `SELECT n.nspname || '.' || c.relname AS name FROM pg_partition_tree($1::oid::regclass) t
  JOIN pg_class c ON c.oid = t.relid JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE t.relid <> $1::oid::regclass ORDER BY t.level, 1`;
const SCHEMA_TABLES = `SELECT n.nspname || '.' || c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') ORDER BY c.relispartition, 1`;
// TRUNCATE ... CASCADE empties every table whose foreign keys reach the truncated one, transitively.
const REFERENCING = `WITH RECURSIVE r(oid) AS (
    SELECT $1::oid UNION SELECT con.conrelid FROM pg_constraint con JOIN r ON con.confrelid = r.oid WHERE con.contype = 'f')
  SELECT n.nspname || '.' || c.relname AS name FROM r JOIN pg_class c ON c.oid = r.oid JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE r.oid <> $1::oid ORDER BY 1`;
const COLUMNS = `SELECT attname AS name FROM pg_attribute WHERE attrelid = $1::oid AND attnum > 0 AND NOT attisdropped`;

/** The objects to back up before a step that destroys `destroys`; objects missing now are skipped (the statement fails or does nothing). */
export async function backupTargets(client: pg.ClientBase, destroys: readonly StepDestruction[]): Promise<BackupTargets> {
  const targets = new Map<string, BackupTarget>();
  const notBackedUp: string[] = [];
  const add = (t: BackupTarget) => {
    const had = targets.get(t.table);
    if (had?.kind === 'table') return;
    if (had?.kind === 'columns' && t.kind === 'columns') {
      targets.set(t.table, { ...had, columns: [...new Set([...(had.columns ?? []), ...(t.columns ?? [])])] });
      return;
    }
    // A whole table keeps its columns too.
    targets.delete(t.table);
    targets.set(t.table, t);
  };
  const relation = async (ref: ObjectRef) => (await client.query<Relation>(RELATION, [refText(ref)])).rows[0];
  const wholeTable = async (rel: Relation, destroys: DestructionKind) => {
    add({ kind: 'table', table: rel.name, destroys });
    if (rel.kind === 'p') for (const p of (await client.query<{ name: string }>(PARTITIONS, [rel.oid])).rows) add({ kind: 'table', table: p.name, destroys });
  };
  for (const d of destroys) {
    const beyond = (d.reaches ?? []).filter((r) => !BACKED_UP_REACH.test(r));
    if (beyond.length > 0) notBackedUp.push(`what CASCADE also drops with ${d.summary}: ${beyond.join(', ')}`);
    if (d.object.kind === 'database') {
      notBackedUp.push(`${d.summary}: a whole database is not backed up here (take one with pg_dump before opting in)`);
      continue;
    }
    if (d.kind === 'drop' && d.object.kind === 'schema') {
      for (const t of (await client.query<{ name: string }>(SCHEMA_TABLES, [d.object.name])).rows) add({ kind: 'table', table: t.name, destroys: 'drop' });
      continue;
    }
    if (d.object.kind !== 'table' && d.object.kind !== 'materialized_view') {
      if (beyond.length === 0) notBackedUp.push(`${d.summary}: only tables and columns are backed up`);
      continue;
    }
    const rel = await relation(d.object);
    if (!rel) continue;
    if (rel.kind === 'm') {
      notBackedUp.push(`materialized view "${rel.name}": its rows are computed by its query, which the migration that created it holds`);
      continue;
    }
    if (rel.kind !== 'r' && rel.kind !== 'p') {
      notBackedUp.push(`"${rel.name}" holds no rows of its own here (relation kind ${rel.kind})`);
      continue;
    }
    if (d.kind === 'drop' || d.kind === 'replace') await wholeTable(rel, d.kind);
    else if (d.kind === 'delete_rows') {
      await wholeTable(rel, d.kind);
      if (d.cascade) for (const r of (await client.query<{ name: string }>(REFERENCING, [rel.oid])).rows) add({ kind: 'table', table: r.name, destroys: d.kind });
    } else {
      const present = new Set((await client.query<{ name: string }>(COLUMNS, [rel.oid])).rows.map((r) => r.name));
      const columns = (d.columns ?? []).filter((c) => present.has(c));
      if (d.kind === 'update_rows' && columns.length === 0) await wholeTable(rel, d.kind);
      else if (columns.length > 0) add({ kind: 'columns', table: rel.name, destroys: d.kind, columns });
    }
  }
  return { targets: [...targets.values()], notBackedUp };
}

/** `"schema"."name"`, or `"name"` to be found on the search path as the statement will find it. */
function refText(ref: ObjectRef): string {
  return ref.schema ? `${quoteIdent(ref.schema)}.${quoteIdent(ref.name)}` : quoteIdent(ref.name);
}
