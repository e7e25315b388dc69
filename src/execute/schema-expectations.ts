/**
 * Expectations about the shape of a store, checked against what an
 * inspection found: columns of a table (name, type, nullability), foreign
 * keys between two tables, and extensions, enums (with their labels), views,
 * indexes and functions by name. Names may be qualified (`public.messages`,
 * `feature_store.features`) or bare; types may be written as in a migration
 * (`varchar(255)`, `timestamptz`, `int`), they are compared as the server
 * spells them.
 *
 * @example
 * checkSchemaExpectation({ kind: 'columns', table: 'messages', present: [{ name: 'content', type: 'text' }], absent: ['body'], ... }, snapshot)
 * // { ok: false, message: 'table "messages": column "content" is character varying(2000), expected text' }
 */
import type { SchemaSnapshot } from '../engines/engine.js';
import type { SchemaObject, TableObject } from '../engines/schema-objects.js';
import type { ExpectedColumn, Expectation } from '../topology/model.js';

export type SchemaExpectation = Extract<Expectation, { kind: 'columns' | 'foreignKeys' | 'objects' }>;

export interface SchemaCheck {
  readonly ok: boolean;
  readonly message: string;
}

export function isSchemaExpectation(e: Expectation): e is SchemaExpectation {
  return e.kind === 'columns' || e.kind === 'foreignKeys' || e.kind === 'objects';
}

export function checkSchemaExpectation(e: SchemaExpectation, snap: SchemaSnapshot): SchemaCheck {
  if (e.kind === 'columns') return checkColumns(e, snap);
  if (e.kind === 'foreignKeys') return checkForeignKeys(e, snap);
  return checkObjects(e, snap);
}

/** `columns of messages`, `foreign keys`, `enums` — what a pending check is about. */
export function describeSchemaExpectation(e: SchemaExpectation): string {
  if (e.kind === 'columns') return `columns of ${e.table}`;
  if (e.kind === 'foreignKeys') return `foreign keys ${[...e.present.map((f) => `+${f.from}→${f.to}`), ...e.absent.map((f) => `-${f.from}→${f.to}`)].join(' ')}`;
  return `${PLURAL[e.objectKind]} ${[...e.present.map((n) => `+${n}`), ...e.absent.map((n) => `-${n}`)].join(' ')}`.trim();
}

const PLURAL = { extension: 'extensions', enum: 'enums', view: 'views', index: 'indexes', function: 'functions' } as const;

/** `public.messages` and `messages` both name `public.messages`; a bare name matches in any schema. */
function named(name: string, candidate: string): boolean {
  return candidate === name || candidate.slice(candidate.lastIndexOf('.') + 1) === name;
}

function tableNamed(snap: SchemaSnapshot, name: string): TableObject | undefined {
  return snap.objects.find((o): o is TableObject => o.kind === 'table' && named(name, o.name));
}

function checkColumns(e: Extract<SchemaExpectation, { kind: 'columns' }>, snap: SchemaSnapshot): SchemaCheck {
  const table = tableNamed(snap, e.table);
  if (!table) return { ok: false, message: `table "${e.table}" does not exist` };
  const problems: string[] = [];
  for (const want of e.present) {
    const col = table.columns.find((c) => c.name === want.name);
    if (!col) problems.push(`missing column "${want.name}"`);
    else problems.push(...columnProblems(want, col.type, col.nullable));
  }
  for (const name of e.absent) if (table.columns.some((c) => c.name === name)) problems.push(`column "${name}" is still present`);
  if (problems.length) return { ok: false, message: `table "${e.table}": ${problems.join('; ')}` };
  return { ok: true, message: `table "${e.table}": ${[e.present.length ? `${e.present.length} columns as expected` : '', e.absent.length ? `${e.absent.length} absent` : ''].filter(Boolean).join(', ')}` };
}

function columnProblems(want: ExpectedColumn, type: string, nullable: boolean): string[] {
  const out: string[] = [];
  if (want.type !== undefined && !sameType(want.type, type)) out.push(`column "${want.name}" is ${type}, expected ${want.type}`);
  if (want.nullable !== undefined && want.nullable !== nullable) out.push(`column "${want.name}" is ${nullable ? 'nullable' : 'not null'}, expected ${want.nullable ? 'nullable' : 'not null'}`);
  return out;
}

/** Spellings a migration uses for a type and how PostgreSQL prints it. */
const ALIASES: Readonly<Record<string, string>> = {
  int: 'integer', int4: 'integer', serial: 'integer', serial4: 'integer', int8: 'bigint', bigserial: 'bigint', serial8: 'bigint', int2: 'smallint', smallserial: 'smallint',
  bool: 'boolean', float8: 'double precision', float: 'double precision', float4: 'real', decimal: 'numeric', varchar: 'character varying', char: 'character', bpchar: 'character',
  timestamptz: 'timestamp with time zone', timestamp: 'timestamp without time zone', timetz: 'time with time zone', time: 'time without time zone', varbit: 'bit varying',
};

/** Compares a type as written with the server's spelling: aliases, case, spaces and `[]` arrays; anything else must match exactly. */
export function sameType(written: string, actual: string): boolean {
  const norm = (t: string) => {
    const m = /^\s*([a-z0-9_ ]+?)\s*(\([^)]*\))?\s*((?:\[\])*)\s*$/i.exec(t);
    if (!m) return t.replace(/\s+/g, ' ').trim();
    const base = m[1]!.toLowerCase().replace(/\s+/g, ' ');
    const args = (m[2] ?? '').replace(/\s+/g, '');
    // timestamp(3) with time zone is printed with the precision after "timestamp".
    return `${ALIASES[base] ?? base}${args}${m[3] ?? ''}`.replace(/^(timestamp|time) (with(?:out)? time zone)(\(\d+\))$/, '$1$3 $2');
  };
  return written === actual || norm(written) === norm(actual) || norm(written) === actual;
}

function checkForeignKeys(e: Extract<SchemaExpectation, { kind: 'foreignKeys' }>, snap: SchemaSnapshot): SchemaCheck {
  const problems: string[] = [];
  const exists = (from: string, to: string) => tableNamed(snap, from)?.constraints.some((c) => c.type === 'foreign key' && c.references && named(to, c.references.table)) ?? false;
  for (const fk of e.present) {
    if (!tableNamed(snap, fk.from)) problems.push(`table "${fk.from}" does not exist`);
    else if (!exists(fk.from, fk.to)) problems.push(`no foreign key from "${fk.from}" to "${fk.to}"`);
  }
  for (const fk of e.absent) if (exists(fk.from, fk.to)) problems.push(`a foreign key from "${fk.from}" to "${fk.to}" is still present`);
  if (problems.length) return { ok: false, message: problems.join('; ') };
  return { ok: true, message: `foreign keys: ${[e.present.length ? `${e.present.length} present` : '', e.absent.length ? `${e.absent.length} absent` : ''].filter(Boolean).join(', ')}` };
}

function checkObjects(e: Extract<SchemaExpectation, { kind: 'objects' }>, snap: SchemaSnapshot): SchemaCheck {
  const kind = PLURAL[e.objectKind];
  const candidates = snap.objects.filter((o) => matchesKind(o, e.objectKind));
  const find = (name: string) => candidates.find((o) => named(name, o.name) || (o.kind === 'function' && (named(name, o.routine) || sameSignature(name, o.name))));
  const missing = e.present.filter((n) => !find(n));
  const extra = e.absent.filter((n) => find(n));
  const problems = [missing.length ? `missing ${kind}: ${missing.join(', ')}` : '', extra.length ? `${kind} still present: ${extra.join(', ')}` : ''].filter(Boolean);
  for (const [name, labels] of Object.entries(e.values ?? {})) {
    const found = find(name);
    if (!found || found.kind !== 'type') problems.push(`enum "${name}" does not exist`);
    else if ((found.values ?? []).join('\u0000') !== labels.join('\u0000')) problems.push(`enum "${name}" has values ${(found.values ?? []).join(', ')}, expected ${labels.join(', ')}`);
  }
  if (problems.length) return { ok: false, message: problems.join('; ') };
  const counted = Object.keys(e.values ?? {}).length;
  return { ok: true, message: `${kind}: ${[e.present.length ? `${e.present.length} present` : '', e.absent.length ? `${e.absent.length} absent` : '', counted ? `values of ${counted} as expected` : ''].filter(Boolean).join(', ')}` };
}

function matchesKind(o: SchemaObject, kind: Extract<SchemaExpectation, { kind: 'objects' }>['objectKind']): boolean {
  if (kind === 'enum') return o.kind === 'type' && o.type === 'enum';
  return o.kind === kind;
}

/** `f(integer,text)` and `public.f(integer, text)` are the same signature. */
function sameSignature(written: string, actual: string): boolean {
  const strip = (s: string) => s.replace(/\s+/g, '');
  return strip(written) === strip(actual) || strip(written) === strip(actual.slice(actual.indexOf('.') + 1));
}
