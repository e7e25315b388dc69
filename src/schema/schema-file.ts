/**
 * The committed form of a store's schema: `schema/<store>.json`, JSON because
 * status and check read it back to compare it with a database (a `.sql` file
 * would need a parser, and a function's body is stored as a hash, which SQL
 * cannot hold), laid out for review: one section per kind, one line per
 * column, constraint, index, trigger and function, keys in a fixed order, so
 * a pull request's diff shows exactly what changed.
 *
 * @example
 * writeFileSync('schema/nova.json', renderSchemaFile(schema))
 * const back = parseSchemaFile(readFileSync('schema/nova.json', 'utf8'), 'schema/nova.json')
 */
import { TopoplanError } from '../errors.js';
import { SCHEMA_OBJECT_KINDS, type SchemaObject, type SchemaObjectKind } from '../engines/schema-objects.js';
import type { EngineName } from '../sql/effects.js';
import { SCHEMA_FORMAT, type StoreSchema } from './store-schema.js';

const SECTIONS: Readonly<Record<SchemaObjectKind, string>> = {
  extension: 'extensions', type: 'types', sequence: 'sequences', table: 'tables', view: 'views', index: 'indexes', trigger: 'triggers', function: 'functions',
};
/** Fields of each kind in the order they are written (kind and name are the section and the key). */
const FIELDS: Readonly<Record<SchemaObjectKind, readonly string[]>> = {
  extension: ['schema', 'version'],
  type: ['type', 'values', 'definition'],
  sequence: ['type', 'start', 'increment', 'ownedBy'],
  table: ['engine', 'orderBy', 'primaryKey', 'partitionBy', 'sampleBy', 'ttl', 'partitionOf', 'columns', 'constraints'],
  view: ['materialized', 'target', 'definition'],
  index: ['table', 'unique', 'constraint', 'partitionOf', 'definition'],
  trigger: ['table', 'function', 'partitionOf', 'definition'],
  function: ['returns', 'language', 'procedure', 'bodyHash'],
};
const COLUMN_FIELDS = ['name', 'type', 'nullable', 'default', 'generated'];
const CONSTRAINT_FIELDS = ['name', 'type', 'columns', 'references', 'definition'];

export function renderSchemaFile(schema: StoreSchema): string {
  const doc: Record<string, unknown> = { format: schema.format, store: schema.store, engine: schema.engine, database: schema.database, after: schema.after };
  for (const kind of SCHEMA_OBJECT_KINDS) {
    const list = schema.objects.filter((o) => o.kind === kind);
    if (list.length > 0) doc[SECTIONS[kind]] = Object.fromEntries(list.map((o) => [o.name, schemaFields(o)]));
  }
  return `${json(doc, '', 0)}\n`;
}

/** What a schema file records of an object, in its order: everything but kind and name, empty values left out. */
export function schemaFields(o: SchemaObject): Record<string, unknown> {
  const src = o as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const f of FIELDS[o.kind]) {
    let v = src[f];
    if (f === 'columns') v = (v as Record<string, unknown>[]).map((c) => pick(c, COLUMN_FIELDS));
    if (f === 'constraints') v = (v as Record<string, unknown>[]).map((c) => pick(c, CONSTRAINT_FIELDS));
    if (v === undefined || v === '' || (f === 'constraints' && (v as unknown[]).length === 0) || (f === 'procedure' && v === false)) continue;
    out[f] = v;
  }
  return out;
}

function pick(o: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) if (o[f] !== undefined) out[f] = o[f];
  return out;
}

/** Scalars, lists of scalars and small records go on one line; anything holding a list of records spreads over lines. */
function inline(v: unknown, depth = 0): boolean {
  if (v === null || typeof v !== 'object') return true;
  if (Array.isArray(v)) return v.every((x) => x === null || typeof x !== 'object');
  return depth < 2 && Object.values(v).every((x) => inline(x, depth + 1));
}

/** The document and its sections always spread over lines (`level` 0 and 1); below them, what fits goes on one line. */
function json(v: unknown, indent: string, level: number): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  const inner = `${indent}  `;
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    if (inline(v)) return `[${v.map((x) => json(x, inner, level + 1)).join(', ')}]`;
    return `[\n${v.map((x) => `${inner}${json(x, inner, level + 1)}`).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(v);
  if (entries.length === 0) return '{}';
  if (level >= 2 && inline(v)) return `{ ${entries.map(([k, x]) => `${JSON.stringify(k)}: ${json(x, inner, level + 1)}`).join(', ')} }`;
  return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${json(x, inner, level + 1)}`).join(',\n')}\n${indent}}`;
}

/** Reads a schema file back; `label` names it in errors. */
export function parseSchemaFile(text: string, label: string): StoreSchema {
  const fail = (why: string): never => {
    throw new TopoplanError('schema.invalid', `schema: "${label}" ${why}; write it again with \`topoplan check --update\``);
  };
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    return fail(`is not valid JSON (${(e as Error).message})`);
  }
  if (typeof doc !== 'object' || doc === null || doc.format !== SCHEMA_FORMAT) return fail(`is not a ${SCHEMA_FORMAT} file`);
  const objects: SchemaObject[] = [];
  for (const kind of SCHEMA_OBJECT_KINDS) {
    const section = doc[SECTIONS[kind]];
    if (section === undefined) continue;
    if (typeof section !== 'object' || section === null || Array.isArray(section)) return fail(`has a "${SECTIONS[kind]}" that is not a map of names`);
    for (const [name, fields] of Object.entries(section as Record<string, Record<string, unknown>>)) objects.push(objectFrom(kind, name, fields ?? {}));
  }
  const after = doc.after === 'contract' ? 'contract' : 'apply';
  return { format: SCHEMA_FORMAT, store: String(doc.store ?? ''), engine: String(doc.engine ?? 'postgres') as EngineName, database: String(doc.database ?? ''), after, objects };
}

function objectFrom(kind: SchemaObjectKind, name: string, f: Record<string, unknown>): SchemaObject {
  const base = { ...f, kind, name } as Record<string, unknown>;
  if (kind === 'table') return { constraints: [], columns: [], ...base } as unknown as SchemaObject;
  if (kind === 'extension') return { version: '', schema: '', ...base } as unknown as SchemaObject;
  if (kind === 'index') return { ...base, unique: f.unique === true } as unknown as SchemaObject;
  if (kind === 'view') return { ...base, materialized: f.materialized === true } as unknown as SchemaObject;
  if (kind === 'function') {
    const args = /\((.*)\)$/.exec(name);
    return { ...base, routine: args ? name.slice(0, name.length - args[0].length) : name, arguments: args?.[1] ?? '' } as unknown as SchemaObject;
  }
  return base as unknown as SchemaObject;
}
