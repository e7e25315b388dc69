/**
 * Object identity inside one store. The same name in two stores is two objects:
 * keys are `store|kind:schema.name`, where an unqualified ClickHouse name takes
 * the store's database and PostgreSQL's takes `public`. ClickHouse keeps
 * tables, views, materialized views and dictionaries in one namespace (all are
 * rows of `system.tables`; `DROP TABLE` removes any of them), so they share one
 * key there: `DROP TABLE db.mv` ends the materialized view `db.mv`.
 */
import type { EngineName, ObjectRef } from '../sql/effects.js';
import { objectKey } from '../sql/effects.js';
import type { Topology } from '../topology/model.js';

export type StoreKey = string;

const CLICKHOUSE_RELATIONS: ReadonlySet<string> = new Set(['table', 'view', 'materialized_view', 'dictionary']);

export function storeKey(topology: Topology, store: string, engine: EngineName, ref: ObjectRef): StoreKey {
  let schema = ref.schema;
  let r = ref;
  if (engine === 'clickhouse') {
    if (schema === undefined && ref.kind !== 'database') schema = topology.stores.get(store)?.database;
    if (CLICKHOUSE_RELATIONS.has(ref.kind)) r = { ...ref, kind: 'table' };
  }
  if (engine === 'neo4j') schema = '';
  return `${store}|${objectKey(schema === undefined ? r : { ...r, schema })}`;
}

/** True when two kinds name the same object in this engine (ClickHouse: any two of table, view, materialized view, dictionary). */
export function sameNamespace(engine: EngineName, a: ObjectRef['kind'], b: ObjectRef['kind']): boolean {
  return a === b || (engine === 'clickhouse' && CLICKHOUSE_RELATIONS.has(a) && CLICKHOUSE_RELATIONS.has(b));
}

const PG_RELATIONS: ReadonlySet<string> = new Set(['table', 'view', 'materialized_view', 'sequence', 'index']);
const PG_ROW_TYPED: ReadonlySet<string> = new Set(['table', 'view', 'materialized_view']);

/**
 * True when two different PostgreSQL kinds cannot have one name in a schema: relations (tables, views, materialized
 * views, sequences, indexes) share pg_class's names, and a type meets the row type of a table or view.
 */
export function sharePostgresNames(a: ObjectRef['kind'], b: ObjectRef['kind']): boolean {
  if (a === b) return false;
  if (PG_RELATIONS.has(a) && PG_RELATIONS.has(b)) return true;
  return (a === 'type' && PG_ROW_TYPED.has(b)) || (b === 'type' && PG_ROW_TYPED.has(a));
}

/** `public.shares` → `shares`; other schemas stay qualified. */
export function displayName(ref: ObjectRef): string {
  const perTable = (ref.kind === 'trigger' || ref.kind === 'projection' || ref.kind === 'index') && ref.table;
  if (!ref.schema || ref.schema === 'public') return perTable ? `${ref.table}.${ref.name}` : ref.name;
  return `${ref.schema}.${perTable ? `${ref.table}.` : ''}${ref.name}`;
}

/** `table shares`, `function update_updated_at_column`. */
export function describe(ref: ObjectRef): string {
  return `${ref.kind.replace('_', ' ')} ${displayName(ref)}`;
}
