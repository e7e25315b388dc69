/**
 * Reads what a ClickHouse database holds: tables (columns, engine with its
 * arguments, sorting, primary, partition and sampling keys, TTL), views plain
 * and materialized (with the table a materialized view writes to),
 * data-skipping indexes and SQL user-defined functions, with the server's
 * normalised CREATE statement as each definition. The ledger and the hidden
 * `.inner` tables of materialized views are left out. User-defined functions
 * are server-wide in ClickHouse, so every store on a server lists the same ones.
 *
 * @example
 * const snap = await inspectClickHouse(conn, 'analytics')
 * snap.tables // ['analytics.events']
 * snap.objects[0] // { kind: 'table', name: 'analytics.events', engine: 'MergeTree', orderBy: 'user_id, at', ttl: 'at + toIntervalDay(30)', ... }
 */
import { createHash } from 'node:crypto';
import type { InspectScope, SchemaSnapshot } from '../engine.js';
import type { ColumnInfo, SchemaObject } from '../schema-objects.js';
import type { ClickHouseConnection } from './clickhouse-connection.js';
import { chString } from './clickhouse-sql.js';
import { emptySnapshot } from '../empty-snapshot.js';
import { snapshotOf } from '../snapshot-of.js';
import { namesIn } from './names-query.js';

const VIEW_ENGINES = ['View', 'MaterializedView', 'LiveView', 'WindowView'];
/** Clauses that follow the engine in `engine_full`, in the order ClickHouse prints them. */
const CLAUSES = ['PARTITION BY', 'PRIMARY KEY', 'ORDER BY', 'SAMPLE BY', 'TTL', 'SETTINGS', 'COMMENT'];

interface TableRow { name: string; engine: string; engine_full: string; sorting_key: string; partition_key: string; primary_key: string; sampling_key: string; as_select: string; def: string }
interface ColumnRow { table: string; name: string; type: string; default_kind: string; default_expression: string }

export async function inspectClickHouse(conn: ClickHouseConnection, database: string, scope: InspectScope = 'full'): Promise<SchemaSnapshot> {
  if (scope !== 'full') return inspectNames(conn, database, scope);
  const db = chString(database);
  const exists = await conn.rows<{ n: string | number }>(`SELECT count() AS n FROM system.databases WHERE name = ${db}`);
  if (Number(exists[0]?.n ?? 0) === 0) return emptySnapshot();
  const tables = await conn.rows<TableRow>(
    `SELECT name, engine, engine_full, sorting_key, partition_key, primary_key, sampling_key, as_select, create_table_query AS def FROM system.tables
      WHERE database = ${db} AND name NOT LIKE '.inner%' AND name NOT IN ('topoplan_ledger', 'topoplan_ledger_upgrade') ORDER BY name`,
  );
  const columns = await conn.rows<ColumnRow>(`SELECT table, name, type, default_kind, default_expression FROM system.columns WHERE database = ${db} ORDER BY table, position`);
  const indexes = await conn.rows<{ table: string; name: string; type_full: string; expr: string; granularity: string | number }>(
    `SELECT table, name, type_full, expr, granularity FROM system.data_skipping_indices WHERE database = ${db} ORDER BY table, name`,
  );
  const functions = await conn.rows<{ name: string; def: string }>(`SELECT name, create_query AS def FROM system.functions WHERE origin = 'SQLUserDefined' ORDER BY name`);
  const columnsOf = new Map<string, ColumnInfo[]>();
  for (const c of columns) {
    const list = columnsOf.get(c.table) ?? [];
    list.push(column(c));
    columnsOf.set(c.table, list);
  }
  const created = new Map<string, string>();
  const objects: SchemaObject[] = [];
  for (const t of tables) {
    const name = `${database}.${t.name}`;
    created.set(name, t.def);
    if (VIEW_ENGINES.includes(t.engine)) {
      const target = /^CREATE MATERIALIZED VIEW\s+\S+\s+TO\s+(\S+)/.exec(t.def)?.[1];
      objects.push({ kind: 'view', name, materialized: t.engine === 'MaterializedView', definition: t.as_select, ...(target ? { target: target.replace(/`/g, '') } : {}) });
      continue;
    }
    const parts = clauses(t.engine_full);
    objects.push({
      kind: 'table',
      name,
      columns: columnsOf.get(t.name) ?? [],
      constraints: [],
      engine: parts.engine || t.engine,
      ...(t.sorting_key ? { orderBy: t.sorting_key } : {}),
      ...(t.primary_key && t.primary_key !== t.sorting_key ? { primaryKey: t.primary_key } : {}),
      ...(t.partition_key ? { partitionBy: t.partition_key } : {}),
      ...(t.sampling_key ? { sampleBy: t.sampling_key } : {}),
      ...(parts.TTL ? { ttl: parts.TTL } : {}),
    });
  }
  for (const i of indexes) {
    const definition = `${i.type_full} ON ${i.table} (${i.expr}) GRANULARITY ${i.granularity}`;
    objects.push({ kind: 'index', name: `${database}.${i.table}.${i.name}`, table: `${database}.${i.table}`, definition, unique: false });
  }
  for (const f of functions) {
    created.set(f.name, f.def);
    objects.push({ kind: 'function', name: f.name, routine: f.name, arguments: '', returns: '', language: 'sql', bodyHash: `md5:${createHash('md5').update(f.def).digest('hex')}` });
  }
  return snapshotOf(objects, (o) => (o.kind === 'index' ? o.definition : created.get(o.name) ?? ''));
}

/**
 * The names of tables and views and, for `names`, a materialized view's
 * target and data-skipping indexes, in one query (shared with the other
 * databases of an embedded chdb asked for at once: names-query.ts): what name
 * expectations check. No columns, keys or definitions, and no functions
 * (system.functions lists every function of the server, the slowest query of
 * a full inspection).
 */
async function inspectNames(conn: ClickHouseConnection, database: string, scope: 'names' | 'tables'): Promise<SchemaSnapshot> {
  const rows = await namesIn(conn, database, scope);
  const objects: SchemaObject[] = rows.map((r): SchemaObject => {
    const name = `${database}.${r.object}`;
    if (r.index) return { kind: 'index', name: `${name}.${r.index}`, table: name, definition: '', unique: false };
    if (!VIEW_ENGINES.includes(r.engine)) return { kind: 'table', name, columns: [], constraints: [], engine: r.engine };
    const target = /^CREATE MATERIALIZED VIEW\s+\S+\s+TO\s+(\S+)/.exec(r.def)?.[1];
    return { kind: 'view', name, materialized: r.engine === 'MaterializedView', definition: '', ...(target ? { target: target.replace(/`/g, '') } : {}) };
  });
  return snapshotOf(objects, () => '');
}

function column(c: ColumnRow): ColumnInfo {
  const generated = ['MATERIALIZED', 'ALIAS', 'EPHEMERAL'].includes(c.default_kind) ? c.default_kind : undefined;
  return {
    name: c.name,
    type: c.type,
    nullable: c.type.startsWith('Nullable('),
    ...(c.default_expression ? { default: c.default_expression } : {}),
    ...(generated ? { generated } : {}),
  };
}

/** Splits `engine_full` into the engine with its arguments and each clause after it, at parenthesis depth 0. */
function clauses(full: string): Record<string, string> & { engine: string } {
  const cuts: { at: number; clause: string }[] = [];
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < full.length; i++) {
    const ch = full[i]!;
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === "'" || ch === '`' || ch === '"') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (depth === 0 && full[i - 1] === ' ') {
      const clause = CLAUSES.find((k) => full.startsWith(`${k} `, i));
      if (clause) cuts.push({ at: i, clause });
    }
  }
  const out: Record<string, string> & { engine: string } = { engine: full.slice(0, cuts[0]?.at ?? full.length).trim() };
  cuts.forEach((c, k) => {
    out[c.clause] = full.slice(c.at + c.clause.length, cuts[k + 1]?.at ?? full.length).trim();
  });
  return out;
}
