/**
 * Objects that hold no rows (functions and trigger functions, types and
 * enums, standalone sequences, views) are kept by their definition: the SQL
 * that recreates them, read from the live catalog, with a sequence's position
 * set again after it is created. {@link definedObjects} finds the live
 * objects of a name (every overload of a function), {@link backupDefinitions}
 * writes them as `definition` objects of a backup manifest that
 * `topoplan restore` reads, and each carries the statement that drops it.
 *
 * @example
 * const objects = await definedObjects(client, 'function', 'count_items');
 * // [{ kind: 'function', name: 'public.count_items()', create: ['CREATE OR REPLACE FUNCTION ...'], after: [], drop: 'DROP ROUTINE public.count_items()' }]
 * await backupDefinitions({ store: 'main', database: 'main', objects, dir });
 */
import type pg from 'pg';
import { backupFiles, manifestFor, writeManifest, type BackedUpObject } from '../backup-manifest.js';
import type { BackupFile } from '../engine.js';
import { quoteIdent, splitQualified } from './postgres-url.js';
import { quoteLiteral } from './quote-literal.js';

export type DefinitionKind = 'function' | 'type' | 'sequence' | 'view' | 'materialized_view';

export interface DefinedObject {
  readonly kind: DefinitionKind;
  /** Qualified as the catalog prints it (a function with its argument types). */
  readonly name: string;
  readonly create: readonly string[];
  readonly after: readonly string[];
  readonly drop: string;
}

const place = (name: string): [string | null, string] => {
  const parts = splitQualified(name);
  return parts.length > 1 ? [parts[0]!, parts[1]!] : [null, parts[0]!];
};
const SCHEMA = `n.nspname = coalesce($1, current_schema())`;

/** The live objects named `name` (unqualified: in the current schema); none when it is gone. */
export async function definedObjects(client: pg.ClientBase, kind: DefinitionKind, name: string): Promise<DefinedObject[]> {
  const [schema, bare] = place(name);
  if (kind === 'function') {
    const r = await client.query<{ sig: string; def: string }>(
      `SELECT p.oid::regprocedure::text AS sig, pg_get_functiondef(p.oid) AS def FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
       WHERE ${SCHEMA} AND p.proname = $2 AND p.prokind IN ('f', 'p') ORDER BY 1`,
      [schema, bare],
    );
    return r.rows.map((x) => ({ kind, name: x.sig, create: [x.def], after: [], drop: `DROP ROUTINE ${x.sig}` }));
  }
  if (kind === 'type') return typeObjects(client, schema, bare);
  const relkind = { sequence: 'S', view: 'v', materialized_view: 'm' }[kind];
  const r = await client.query<{ oid: string; q: string }>(
    `SELECT c.oid::text AS oid, c.oid::regclass::text AS q FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE ${SCHEMA} AND c.relname = $2 AND c.relkind = $3
       -- a sequence a column owns goes with its table (and its table's backup)
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.classid = 'pg_class'::regclass AND d.deptype IN ('a', 'i'))`,
    [schema, bare, relkind],
  );
  const row = r.rows[0];
  if (!row) return [];
  if (kind === 'sequence') {
    const s = (await client.query<{ t: string; start: string; inc: string; min: string; max: string; cache: string; cycle: boolean }>(
      `SELECT format_type(seqtypid, NULL) AS t, seqstart::text AS start, seqincrement::text AS inc, seqmin::text AS min, seqmax::text AS max, seqcache::text AS cache, seqcycle AS cycle FROM pg_sequence WHERE seqrelid = $1::oid`,
      [row.oid],
    )).rows[0]!;
    const at = (await client.query<{ v: string; called: boolean }>(`SELECT last_value::text AS v, is_called AS called FROM ${row.q}`)).rows[0]!;
    return [{
      kind, name: row.q,
      create: [`CREATE SEQUENCE ${row.q} AS ${s.t} INCREMENT BY ${s.inc} MINVALUE ${s.min} MAXVALUE ${s.max} START WITH ${s.start} CACHE ${s.cache}${s.cycle ? ' CYCLE' : ''}`],
      after: [`SELECT setval(${quoteLiteral(row.q)}, ${at.v}, ${at.called})`],
      drop: `DROP SEQUENCE ${row.q}`,
    }];
  }
  const def = (await client.query<{ d: string }>('SELECT pg_get_viewdef($1::oid) AS d', [row.oid])).rows[0]!.d.trim().replace(/;$/, '');
  const what = kind === 'view' ? 'VIEW' : 'MATERIALIZED VIEW';
  return [{ kind, name: row.q, create: [`CREATE ${what} ${row.q} AS ${def}`], after: [], drop: `DROP ${what} ${row.q}` }];
}

async function typeObjects(client: pg.ClientBase, schema: string | null, bare: string): Promise<DefinedObject[]> {
  const r = await client.query<{ oid: string; q: string; t: string; relid: string; base: string | null; notnull: boolean; def: string | null }>(
    `SELECT t.oid::text AS oid, t.oid::regtype::text AS q, t.typtype::text AS t, t.typrelid::text AS relid,
            CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END AS base, t.typnotnull AS notnull, t.typdefault AS def
     FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
     WHERE ${SCHEMA} AND t.typname = $2 AND (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c'))`,
    [schema, bare],
  );
  const row = r.rows[0];
  if (!row) return [];
  let create: string;
  if (row.t === 'e') {
    const labels = (await client.query<{ l: string }>('SELECT enumlabel AS l FROM pg_enum WHERE enumtypid = $1::oid ORDER BY enumsortorder', [row.oid])).rows;
    create = `CREATE TYPE ${row.q} AS ENUM (${labels.map((x) => quoteLiteral(x.l)).join(', ')})`;
  } else if (row.t === 'c') {
    const cols = (await client.query<{ n: string; ty: string }>('SELECT attname AS n, format_type(atttypid, atttypmod) AS ty FROM pg_attribute WHERE attrelid = $1::oid AND attnum > 0 AND NOT attisdropped ORDER BY attnum', [row.relid])).rows;
    create = `CREATE TYPE ${row.q} AS (${cols.map((c) => `${quoteIdent(c.n)} ${c.ty}`).join(', ')})`;
  } else if (row.t === 'r') {
    const sub = (await client.query<{ s: string }>('SELECT format_type(rngsubtype, NULL) AS s FROM pg_range WHERE rngtypid = $1::oid', [row.oid])).rows[0]!.s;
    create = `CREATE TYPE ${row.q} AS RANGE (subtype = ${sub})`;
  } else {
    const checks = (await client.query<{ n: string; d: string }>('SELECT conname AS n, pg_get_constraintdef(oid) AS d FROM pg_constraint WHERE contypid = $1::oid ORDER BY conname', [row.oid])).rows;
    create = [`CREATE DOMAIN ${row.q} AS ${row.base}`, ...(row.def !== null ? [`DEFAULT ${row.def}`] : []), ...(row.notnull ? ['NOT NULL'] : []), ...checks.map((c) => `CONSTRAINT ${quoteIdent(c.n)} ${c.d}`)].join(' ');
  }
  return [{ kind: 'type', name: row.q, create: [create], after: [], drop: `DROP TYPE ${row.q}` }];
}

/** Writes `objects` as one backup (definitions only, no data files) into `dir`; what `topoplan restore` lists and restores. */
export async function backupDefinitions(o: { store: string; database: string; objects: readonly DefinedObject[]; dir: string; stepId?: string }): Promise<BackupFile[]> {
  const objects: BackedUpObject[] = o.objects.map((d) => ({ kind: 'definition', object: d.kind, table: d.name, destroys: 'drop', columns: [], create: d.create, after: d.after, rows: 0 }));
  const step = { id: o.stepId ?? `${o.store}:backup`, statements: o.objects.map((d) => d.drop), destroys: [] };
  const manifest = manifestFor('postgres', { store: o.store, database: o.database, step }, objects, []);
  await writeManifest(o.dir, manifest);
  return backupFiles(o.dir, manifest);
}

/** Whether the object a `definition` backup holds exists now (restore creates only what is missing). */
export async function definitionExists(client: pg.ClientBase, kind: string, name: string): Promise<boolean> {
  const fn = kind === 'function' ? 'to_regprocedure' : kind === 'type' ? 'to_regtype' : 'to_regclass';
  return (await client.query<{ x: string | null }>(`SELECT ${fn}($1)::text AS x`, [name])).rows[0]!.x !== null;
}
