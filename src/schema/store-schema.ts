/**
 * The reviewed schema of one store: what a check's throwaway database holds
 * after the plan ran, normalised so the same plan always gives the same file
 * (whatever the server's version of an extension, and without what the
 * database makes by itself along with another object: the index behind a
 * primary key, a partition's copies of its parent's indexes, triggers and
 * constraints, a serial column's sequence — each follows from its owner).
 *
 * @example
 * const schema = storeSchema(await session.inspect(), { store: 'nova', engine: 'postgres', database: 'nova' })
 * schema.objects.map((o) => `${o.kind} ${o.name}`) // ['extension uuid-ossp', 'table public.likes', ...]
 */
import type { SchemaSnapshot } from '../engines/engine.js';
import { madeByDatabase, type SchemaObject } from '../engines/schema-objects.js';
import type { EngineName } from '../sql/effects.js';

export const SCHEMA_FORMAT = 'topoplan-schema/1';

export interface StoreSchema {
  readonly format: typeof SCHEMA_FORMAT;
  readonly store: string;
  readonly engine: EngineName;
  readonly database: string;
  /** `contract` when the store's contract-phase steps had run; `apply` otherwise (or when it has none). */
  readonly after: 'apply' | 'contract';
  /** In kind order (extensions, types, sequences, tables, views, indexes, triggers, functions), then by name. */
  readonly objects: readonly SchemaObject[];
}

export interface StoreRef {
  readonly store: string;
  readonly engine: EngineName;
  readonly database: string;
  readonly after?: 'apply' | 'contract';
}

export function storeSchema(snapshot: SchemaSnapshot, ref: StoreRef): StoreSchema {
  return { format: SCHEMA_FORMAT, store: ref.store, engine: ref.engine, database: ref.database, after: ref.after ?? 'apply', objects: normaliseObjects(snapshot.objects) };
}

/** The objects a schema file lists, each in its normalised form. */
export function normaliseObjects(objects: readonly SchemaObject[]): SchemaObject[] {
  const out: SchemaObject[] = [];
  for (const o of objects) {
    if (madeByDatabase(o)) continue;
    if (o.kind === 'extension') out.push({ ...o, version: '' });
    else if (o.kind === 'table') out.push({ ...o, constraints: o.constraints.filter((c) => !c.inherited) });
    else if (o.kind === 'view') out.push({ ...o, definition: o.definition.replace(/\s+/g, ' ').trim() });
    else out.push(o);
  }
  return out;
}

/** `table public.likes`: an object's identity across schemas. */
export function objectId(o: { readonly kind: string; readonly name: string }): string {
  return `${o.kind} ${o.name}`;
}
