import type { SchemaSnapshot } from './engine.js';
import { SCHEMA_OBJECT_KINDS, type SchemaObject } from './schema-objects.js';

const LIST: Readonly<Record<SchemaObject['kind'], keyof Omit<SchemaSnapshot, 'definitions' | 'objects'>>> = {
  table: 'tables', view: 'views', index: 'indexes', trigger: 'triggers', function: 'functions', extension: 'extensions', type: 'types', sequence: 'sequences',
};

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * A snapshot made from the objects an inspector found: objects sorted by kind
 * and name (code-point order, whatever the server's collation), the name list
 * of each kind, and `definitions` keyed `kind name` from the engine's own
 * wording of each object.
 *
 * @example
 * snapshotOf([{ kind: 'extension', name: 'pgcrypto', version: '1.3', schema: 'public' }], () => '').extensions // ['pgcrypto']
 */
export function snapshotOf(found: readonly SchemaObject[], definitionOf: (o: SchemaObject) => string): SchemaSnapshot {
  const order = new Map(SCHEMA_OBJECT_KINDS.map((k, i) => [k, i]));
  const objects = [...found].sort((a, b) => order.get(a.kind)! - order.get(b.kind)! || byName(a, b));
  const lists: Record<string, string[]> = { tables: [], views: [], indexes: [], triggers: [], functions: [], extensions: [], types: [], sequences: [] };
  const definitions: Record<string, string> = {};
  for (const o of objects) {
    lists[LIST[o.kind]]!.push(o.name);
    definitions[`${o.kind} ${o.name}`] = definitionOf(o);
  }
  return {
    tables: lists.tables!, views: lists.views!, indexes: lists.indexes!, triggers: lists.triggers!, functions: lists.functions!,
    extensions: lists.extensions!, types: lists.types!, sequences: lists.sequences!, definitions, objects,
  };
}
