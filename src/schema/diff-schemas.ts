/**
 * What differs between two schemas of a store, object by object and, inside
 * a table, column by column and constraint by constraint. Both sides are
 * compared in the form a schema file records (see {@link schemaFields}), so a
 * committed file, a check's result and a live database compare alike.
 *
 * @example
 * diffSchemas(committed.objects, checked.objects)
 * // [{ change: 'changed', kind: 'table', name: 'public.likes', details: ['column "created_at": timestamp with time zone not null → timestamp with time zone'] }]
 */
import { SCHEMA_OBJECT_KINDS, type ColumnInfo, type ConstraintInfo, type SchemaObject, type SchemaObjectKind } from '../engines/schema-objects.js';
import { schemaFields } from './schema-file.js';
import { objectId } from './store-schema.js';

export interface SchemaChange {
  readonly change: 'added' | 'removed' | 'changed';
  readonly kind: SchemaObjectKind;
  readonly name: string;
  /** For a changed object, what differs, one line each; for an added or removed one, its definition in a line. */
  readonly details: readonly string[];
}

export function diffSchemas(before: readonly SchemaObject[], after: readonly SchemaObject[]): SchemaChange[] {
  const old = new Map(before.map((o) => [objectId(o), o]));
  const now = new Map(after.map((o) => [objectId(o), o]));
  const out: SchemaChange[] = [];
  for (const [id, o] of old) {
    const n = now.get(id);
    if (!n) out.push({ change: 'removed', kind: o.kind, name: o.name, details: [summary(o)] });
    else {
      const details = objectDetails(o, n);
      if (details.length > 0) out.push({ change: 'changed', kind: o.kind, name: o.name, details });
    }
  }
  for (const [id, n] of now) if (!old.has(id)) out.push({ change: 'added', kind: n.kind, name: n.name, details: [summary(n)] });
  const order = new Map(SCHEMA_OBJECT_KINDS.map((k, i) => [k, i]));
  return out.sort((a, b) => order.get(a.kind)! - order.get(b.kind)! || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** `uuid not null default gen_random_uuid()`, `text generated as (lower(email)) stored`, `Date MATERIALIZED toDate(at)`. */
export function describeColumn(c: ColumnInfo): string {
  const parts = [c.type];
  if (!c.nullable) parts.push('not null');
  if (c.generated?.startsWith('identity')) parts.push(`generated ${c.generated}`);
  else if (c.generated === 'stored' || c.generated === 'virtual') parts.push(`generated as (${c.default ?? ''}) ${c.generated}`);
  else if (c.generated) parts.push(`${c.generated} ${c.default ?? ''}`.trim());
  else if (c.default !== undefined) parts.push(`default ${c.default}`);
  return parts.join(' ');
}

function summary(o: SchemaObject): string {
  switch (o.kind) {
    case 'table':
      return `${o.columns.length} column${o.columns.length === 1 ? '' : 's'}: ${o.columns.map((c) => c.name).join(', ')}${o.engine ? `; engine ${o.engine}` : ''}`;
    case 'view':
    case 'index':
    case 'trigger':
      return o.definition;
    case 'function':
      return `${o.procedure ? 'procedure' : `returns ${o.returns}`} language ${o.language} body ${o.bodyHash}`;
    case 'type':
      return o.values ? `enum (${o.values.join(', ')})` : `${o.type} ${o.definition ?? ''}`.trim();
    case 'extension':
      return `in schema ${o.schema}`;
    case 'sequence':
      return `${o.type} start ${o.start} increment ${o.increment}`;
  }
}

function objectDetails(a: SchemaObject, b: SchemaObject): string[] {
  const fa = schemaFields(a);
  const fb = schemaFields(b);
  const out: string[] = [];
  if (a.kind === 'table' && b.kind === 'table') {
    out.push(...columnDetails(a.columns, b.columns), ...constraintDetails(a.constraints, b.constraints));
    for (const f of [fa, fb]) {
      delete f.columns;
      delete f.constraints;
    }
  }
  for (const k of [...new Set([...Object.keys(fa), ...Object.keys(fb)])]) {
    const [x, y] = [show(fa[k]), show(fb[k])];
    if (x !== y) out.push(`${k}: ${x} → ${y}`);
  }
  return out;
}

function columnDetails(a: readonly ColumnInfo[], b: readonly ColumnInfo[]): string[] {
  const out: string[] = [];
  const bn = new Map(b.map((c) => [c.name, c]));
  const an = new Map(a.map((c) => [c.name, c]));
  for (const c of a) {
    const d = bn.get(c.name);
    if (!d) out.push(`column "${c.name}" removed (${describeColumn(c)})`);
    else if (describeColumn(c) !== describeColumn(d)) out.push(`column "${c.name}": ${describeColumn(c)} → ${describeColumn(d)}`);
  }
  for (const d of b) if (!an.has(d.name)) out.push(`column "${d.name}" added (${describeColumn(d)})`);
  const common = (xs: readonly ColumnInfo[], other: Map<string, ColumnInfo>) => xs.filter((c) => other.has(c.name)).map((c) => c.name).join(', ');
  if (common(a, bn) !== common(b, an)) out.push(`column order: ${common(a, bn)} → ${common(b, an)}`);
  return out;
}

function constraintDetails(a: readonly ConstraintInfo[], b: readonly ConstraintInfo[]): string[] {
  const out: string[] = [];
  const bn = new Map(b.map((c) => [c.name, c]));
  const an = new Map(a.map((c) => [c.name, c]));
  for (const c of a) {
    const d = bn.get(c.name);
    if (!d) out.push(`constraint "${c.name}" removed (${c.definition})`);
    else if (c.definition !== d.definition) out.push(`constraint "${c.name}": ${c.definition} → ${d.definition}`);
  }
  for (const d of b) if (!an.has(d.name)) out.push(`constraint "${d.name}" added (${d.definition})`);
  return out;
}

function show(v: unknown): string {
  if (v === undefined) return 'none';
  return typeof v === 'string' ? v : JSON.stringify(v);
}
