/**
 * Reads what a PostgreSQL database holds, for verification, status, schema
 * files and fingerprints: user objects only (system schemas, the topoplan
 * ledger, `_sqlx_migrations` and objects owned by extensions are left out),
 * each described in full in `objects` (columns, constraints with their
 * foreign-key targets, which constraint an index implements, which column
 * owns a sequence, ...), plus sorted name lists and a normalised definition
 * per object under keys like `table public.shares`.
 *
 * @example
 * const snap = await inspectPostgres(client)
 * snap.tables            // ['public.conversations', 'public.messages']
 * snap.definitions['table public.messages']  // 'id bigint not null default nextval(...)\n...'
 * snap.objects.find((o) => o.name === 'public.messages_pkey') // { kind: 'index', constraint: 'messages_pkey', ... }
 */
import type pg from 'pg';
import type { SchemaSnapshot } from '../engine.js';
import type { ColumnInfo, ConstraintInfo, ConstraintType, SchemaObject, TableObject } from '../schema-objects.js';
import { snapshotOf } from '../snapshot-of.js';
import * as Q from './postgres-inspect-queries.js';
export { emptySnapshot } from '../empty-snapshot.js';

const CONSTRAINT_TYPES: Readonly<Record<string, ConstraintType>> = { p: 'primary key', u: 'unique', f: 'foreign key', c: 'check', x: 'exclusion' };
const TYPE_KINDS = { e: 'enum', d: 'domain', c: 'composite', r: 'range' } as const;

/** Snapshot of the connected database. */
export async function inspectPostgres(client: pg.ClientBase): Promise<SchemaSnapshot> {
  const rows = async <T extends pg.QueryResultRow>(sql: string) => (await client.query<T>(sql)).rows;
  const tables = await rows<Q.TableRow>(Q.TABLES);
  const columns = await rows<Q.ColumnRow>(Q.COLUMNS);
  const constraints = await rows<Q.ConstraintRow>(Q.CONSTRAINTS);
  const objects: SchemaObject[] = [
    ...tableObjects(tables, columns, constraints),
    ...(await rows<Q.ViewRow>(Q.VIEWS)).map((v): SchemaObject => ({ kind: 'view', name: v.name, materialized: v.materialized, definition: v.def })),
    ...(await rows<Q.IndexRow>(Q.INDEXES)).map((i): SchemaObject => ({
      kind: 'index', name: i.name, table: i.table, definition: i.def, unique: i.unique,
      ...(i.constraint ? { constraint: i.constraint } : {}), ...(i.partition_of ? { partitionOf: i.partition_of } : {}),
    })),
    ...(await rows<Q.TriggerRow>(Q.TRIGGERS)).map((t): SchemaObject => ({
      kind: 'trigger', name: t.name, table: t.table, definition: t.def, function: t.function, ...(t.partition_of ? { partitionOf: t.partition_of } : {}),
    })),
    ...(await rows<Q.FunctionRow>(Q.FUNCTIONS)).map((f): SchemaObject => ({
      kind: 'function', name: `${f.routine}(${f.args})`, routine: f.routine, arguments: f.args, returns: f.returns ?? '', language: f.language,
      bodyHash: `md5:${f.body}`, ...(f.procedure ? { procedure: true } : {}),
    })),
    ...(await rows<Q.TypeRow>(Q.TYPES)).map((t): SchemaObject => ({
      kind: 'type', name: t.name, type: TYPE_KINDS[t.typtype as keyof typeof TYPE_KINDS] ?? 'composite',
      ...(t.labels ? { values: t.labels } : {}), ...(t.def ? { definition: t.def } : {}),
    })),
    ...(await rows<Q.ExtensionRow>(Q.EXTENSIONS)).map((e): SchemaObject => ({ kind: 'extension', name: e.name, version: e.version, schema: e.schema })),
    ...(await rows<Q.SequenceRow>(Q.SEQUENCES)).map((s): SchemaObject => ({
      kind: 'sequence', name: s.name, type: s.type, start: s.start, increment: s.increment, ...(s.owned_by ? { ownedBy: s.owned_by } : {}),
    })),
  ];
  return snapshotOf(objects, definitionOf);
}

function tableObjects(tables: Q.TableRow[], columns: Q.ColumnRow[], constraints: Q.ConstraintRow[]): TableObject[] {
  const columnsOf = new Map<string, ColumnInfo[]>();
  for (const c of columns) {
    const generated = c.generated === 's' ? 'stored' : c.generated === 'v' ? 'virtual' : c.identity === 'a' ? 'identity always' : c.identity === 'd' ? 'identity by default' : undefined;
    const list = columnsOf.get(c.oid) ?? [];
    list.push({ name: c.name, type: c.type, nullable: !c.not_null, ...(c.def !== null ? { default: c.def } : {}), ...(generated ? { generated } : {}) });
    columnsOf.set(c.oid, list);
  }
  const constraintsOf = new Map<string, ConstraintInfo[]>();
  for (const c of constraints) {
    const list = constraintsOf.get(c.oid) ?? [];
    list.push({
      name: c.name, type: CONSTRAINT_TYPES[c.type]!, columns: c.columns, definition: c.def,
      ...(c.ref_table ? { references: { table: c.ref_table, columns: c.ref_columns } } : {}),
      ...(c.inherited ? { inherited: true } : {}),
    });
    constraintsOf.set(c.oid, list);
  }
  return tables.map((t) => ({
    kind: 'table',
    name: t.name,
    columns: columnsOf.get(t.oid) ?? [],
    constraints: (constraintsOf.get(t.oid) ?? []).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    ...(t.parent ? { partitionOf: { table: t.parent, bound: t.bound ?? '' } } : {}),
    ...(t.partition_by ? { partitionBy: t.partition_by } : {}),
  }));
}

/** The one-text definition per object that fingerprints hash (kept as it was before objects were structured). */
function definitionOf(o: SchemaObject): string {
  switch (o.kind) {
    case 'table':
      return o.columns.map((c) => `${c.name} ${c.type}${c.nullable ? '' : ' not null'}${c.default !== undefined ? ` default ${c.default}` : ''}`).join('\n');
    case 'view':
    case 'index':
    case 'trigger':
      return o.definition;
    case 'function':
      return `${o.procedure ? 'procedure' : `returns ${o.returns}`} language ${o.language} body md5 ${o.bodyHash.slice(4)}`;
    case 'type':
      return o.type === 'enum' ? `enum ${(o.values ?? []).map((v) => `'${v.replace(/'/g, "''")}'`).join(', ')}` : `${o.type} ${o.definition ?? ''}`;
    case 'extension':
      return `version ${o.version} schema ${o.schema}`;
    case 'sequence':
      return `${o.type} start ${o.start} increment ${o.increment}${o.ownedBy ? ` owned by ${o.ownedBy}` : ''}`;
  }
}
