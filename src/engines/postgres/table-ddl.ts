/**
 * SQL that recreates a PostgreSQL table, or some of its columns, from what
 * the inspection reports of it (see postgres-inspect.ts): the schema, the
 * sequences its columns own, the table with its columns, defaults, identity
 * and generated columns, keys and checks (or, for a partition, PARTITION OF
 * its parent), and after the rows are loaded: foreign keys, indexes,
 * triggers and the sequences' values. Loading rows between the two halves
 * means a foreign key never sees a half-loaded table and triggers do not
 * fire on restored rows.
 *
 * @example
 * const { create, after } = tableDdl({ table, indexes: [], triggers: [], sequences: [] });
 * // create: ['CREATE TABLE "public"."notes" (\n  "id" bigint NOT NULL,\n  ...\n)'], after: []
 */
import type { ColumnInfo, IndexObject, TableObject, TriggerObject } from '../schema-objects.js';
import { quoteLiteral } from './quote-literal.js';
import { quoteIdent, quoteQualified, splitQualified } from './postgres-url.js';

/** A sequence a column owns (serial or identity), with its value when the backup was taken. */
export interface OwnedSequence {
  readonly name: string;
  readonly type: string;
  readonly start: string;
  readonly increment: string;
  /** The owning column. */
  readonly column: string;
  readonly lastValue: string;
  readonly isCalled: boolean;
}

export interface TableDdlInput {
  readonly table: TableObject;
  /** The table's indexes that no constraint implements (those come with their constraint). */
  readonly indexes: readonly IndexObject[];
  readonly triggers: readonly TriggerObject[];
  readonly sequences: readonly OwnedSequence[];
}

/** Statements to run before loading the rows (`create`) and after (`after`). */
export interface Ddl {
  readonly create: readonly string[];
  readonly after: readonly string[];
}

/** Recreates the whole table. */
export function tableDdl(input: TableDdlInput): Ddl {
  const { table } = input;
  const name = quoteQualified(table.name);
  const create: string[] = [];
  const after: string[] = [];
  const [schema] = splitQualified(table.name);
  if (schema && schema !== 'public' && splitQualified(table.name).length > 1) create.push(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
  const identity = new Set(table.columns.filter((c) => c.generated?.startsWith('identity')).map((c) => c.name));
  const serial = input.sequences.filter((s) => !identity.has(s.column));
  for (const s of serial) create.push(`CREATE SEQUENCE IF NOT EXISTS ${quoteQualified(s.name)} AS ${s.type} START ${s.start} INCREMENT ${s.increment}`);
  if (table.partitionOf) {
    create.push(`CREATE TABLE ${name} PARTITION OF ${quoteQualified(table.partitionOf.table)} ${table.partitionOf.bound}${table.partitionBy ? ` PARTITION BY ${table.partitionBy}` : ''}`);
  } else {
    const lines = [
      ...table.columns.map((c) => `  ${columnSql(c)}`),
      ...table.constraints.filter((k) => k.type !== 'foreign key' && !k.inherited).map((k) => `  CONSTRAINT ${quoteIdent(k.name)} ${k.definition}`),
    ];
    create.push(`CREATE TABLE ${name} (\n${lines.join(',\n')}\n)${table.partitionBy ? ` PARTITION BY ${table.partitionBy}` : ''}`);
  }
  for (const s of serial) create.push(`ALTER SEQUENCE ${quoteQualified(s.name)} OWNED BY ${name}.${quoteIdent(s.column)}`);
  for (const k of table.constraints.filter((k) => k.type === 'foreign key' && !k.inherited)) after.push(`ALTER TABLE ${name} ADD CONSTRAINT ${quoteIdent(k.name)} ${k.definition}`);
  for (const i of input.indexes.filter((i) => !i.constraint && !i.partitionOf)) after.push(i.definition);
  for (const t of input.triggers.filter((t) => !t.partitionOf)) after.push(t.definition);
  after.push(...sequenceValues(table.name, input.sequences, identity));
  return { create, after };
}

/**
 * Adds `columns` back to an existing table: `create` adds them (nullable, so
 * rows can be filled by key), `after` puts back their defaults, NOT NULL,
 * identity and the constraints that involve them.
 */
export function addColumnsDdl(table: TableObject, columns: readonly string[], sequences: readonly OwnedSequence[] = []): Ddl {
  const name = quoteQualified(table.name);
  const wanted = new Set(columns);
  const create: string[] = [];
  const after: string[] = [];
  for (const c of table.columns.filter((c) => wanted.has(c.name))) {
    const computed = c.generated === 'stored' || c.generated === 'virtual';
    create.push(`ALTER TABLE ${name} ADD COLUMN ${computed ? columnSql(c) : `${quoteIdent(c.name)} ${c.type}`}`);
    if (computed) continue;
    if (c.default !== undefined) after.push(`ALTER TABLE ${name} ALTER COLUMN ${quoteIdent(c.name)} SET DEFAULT ${c.default}`);
    if (!c.nullable) after.push(`ALTER TABLE ${name} ALTER COLUMN ${quoteIdent(c.name)} SET NOT NULL`);
    if (c.generated?.startsWith('identity')) after.push(`ALTER TABLE ${name} ALTER COLUMN ${quoteIdent(c.name)} ADD GENERATED ${c.generated === 'identity always' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY`);
  }
  for (const k of table.constraints.filter((k) => !k.inherited && k.columns.some((c) => wanted.has(c)))) after.push(`ALTER TABLE ${name} ADD CONSTRAINT ${quoteIdent(k.name)} ${k.definition}`);
  const identity = new Set(table.columns.filter((c) => wanted.has(c.name) && c.generated?.startsWith('identity')).map((c) => c.name));
  after.push(...sequenceValues(table.name, sequences.filter((s) => identity.has(s.column)), identity));
  return { create, after };
}

/** Columns whose values a data file holds: a generated column is computed again, never loaded. */
export function loadableColumns(table: TableObject): string[] {
  return table.columns.filter((c) => c.generated !== 'stored' && c.generated !== 'virtual').map((c) => c.name);
}

function columnSql(c: ColumnInfo): string {
  const head = `${quoteIdent(c.name)} ${c.type}`;
  const notNull = c.nullable ? '' : ' NOT NULL';
  switch (c.generated) {
    case 'identity always':
      return `${head} GENERATED ALWAYS AS IDENTITY${notNull}`;
    case 'identity by default':
      return `${head} GENERATED BY DEFAULT AS IDENTITY${notNull}`;
    case 'stored':
    case 'virtual':
      return `${head} GENERATED ALWAYS AS (${c.default}) ${c.generated.toUpperCase()}${notNull}`;
    default:
      return `${head}${c.default !== undefined ? ` DEFAULT ${c.default}` : ''}${notNull}`;
  }
}

function sequenceValues(table: string, sequences: readonly OwnedSequence[], identity: ReadonlySet<string>): string[] {
  return sequences.map((s) => {
    const which = identity.has(s.column) ? `pg_get_serial_sequence(${quoteLiteral(quoteQualified(table))}, ${quoteLiteral(s.column)})` : quoteLiteral(quoteQualified(s.name));
    return `SELECT setval(${which}, ${s.lastValue}, ${s.isCalled})`;
  });
}
