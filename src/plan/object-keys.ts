/**
 * Object identity inside one store. The same name in two stores is two objects:
 * keys are `store|kind:schema.name`, where an unqualified ClickHouse name takes
 * the store's database and PostgreSQL's takes `public`.
 */
import type { EngineName, ObjectRef } from '../sql/effects.js';
import { objectKey } from '../sql/effects.js';
import type { Topology } from '../topology/model.js';

export type StoreKey = string;

export function storeKey(topology: Topology, store: string, engine: EngineName, ref: ObjectRef): StoreKey {
  let schema = ref.schema;
  if (schema === undefined && engine === 'clickhouse' && ref.kind !== 'database') schema = topology.stores.get(store)?.database;
  if (engine === 'neo4j') schema = '';
  return `${store}|${objectKey(schema === undefined ? ref : { ...ref, schema })}`;
}

/** `public.shares` → `shares`; other schemas stay qualified. */
export function displayName(ref: ObjectRef): string {
  if (!ref.schema || ref.schema === 'public') return ref.kind === 'trigger' && ref.table ? `${ref.table}.${ref.name}` : ref.name;
  return `${ref.schema}.${ref.kind === 'trigger' && ref.table ? `${ref.table}.` : ''}${ref.name}`;
}

/** `table shares`, `function update_updated_at_column`. */
export function describe(ref: ObjectRef): string {
  return `${ref.kind.replace('_', ' ')} ${displayName(ref)}`;
}
