/**
 * The engine-neutral description of what a migration statement does.
 *
 * Every parser (PostgreSQL through libpg-query, ClickHouse through our splitter,
 * Cypher) turns a file into {@link ParsedStatement}s whose {@link Effect}s the
 * planner reads; the planner never looks at SQL text itself.
 *
 * @example
 * // CREATE INDEX CONCURRENTLY idx_messages_conv ON messages (conversation_id)
 * // → effects: [{ action: 'create', object: { kind: 'index', name: 'idx_messages_conv', schema: 'public' } },
 * //             { action: 'reference', object: { kind: 'table', name: 'messages', schema: 'public' }, via: 'index_table' }]
 * //   transactional: false, nonTransactionalReason: 'CREATE INDEX CONCURRENTLY'
 */

export type EngineName = 'postgres' | 'clickhouse' | 'neo4j';

export type ObjectKind =
  | 'database'
  | 'schema'
  | 'extension'
  | 'table'
  | 'view'
  | 'materialized_view'
  /** A ClickHouse dictionary: in the tables' namespace, but read through dictGet and dropped with DROP DICTIONARY. */
  | 'dictionary'
  /** A ClickHouse projection: per table (`table` is set), like a trigger in PostgreSQL. */
  | 'projection'
  | 'index'
  | 'sequence'
  | 'type'
  | 'function'
  | 'trigger'
  | 'graph_constraint'
  | 'graph_index';

/**
 * A database object. Names are stored unquoted and as PostgreSQL folds them
 * (lowercase unless quoted). `schema` is the PostgreSQL schema (default `public`)
 * or the ClickHouse database (when the statement names one); `table` is set for
 * triggers (PostgreSQL trigger names are per table) and for the sequence of a
 * serial or identity column (it belongs to its table).
 */
export interface ObjectRef {
  readonly kind: ObjectKind;
  readonly name: string;
  readonly schema?: string;
  readonly table?: string;
  /**
   * PostgreSQL: for a name written unqualified after a `SET search_path` naming several schemas, the schemas
   * looked in, in order (`schema` is the first, where it is created); a use finds the first that has it.
   */
  readonly searchPath?: readonly string[];
}

export type EffectAction = 'create' | 'alter' | 'drop' | 'rename' | 'reference' | 'write';

/** Why a statement references an object; becomes the edge reason in the DAG. */
export type ReferenceVia =
  | 'foreign_key'
  | 'trigger_table'
  | 'trigger_function'
  | 'index_table'
  | 'view_source'
  | 'mv_target'
  | 'mv_source'
  | 'function_call'
  | 'type_usage'
  | 'sequence_usage'
  | 'extension_function'
  | 'schema'
  | 'data'
  /** ClickHouse `ENGINE = Distributed(cluster, db, table)`: the local table a Distributed table spreads over. */
  | 'distributed_table'
  /** ClickHouse `SOURCE(CLICKHOUSE(TABLE ... DB ...))`: the table a dictionary loads. */
  | 'dictionary_source'
  /** ClickHouse `CREATE TABLE t AS other`: the table whose columns are copied. */
  | 'structure'
  | 'alter_target'
  | 'comment'
  | 'grant'
  /** ANALYZE / VACUUM of a table. */
  | 'maintenance';

export interface Effect {
  readonly action: EffectAction;
  readonly object: ObjectRef;
  /** For `reference`: what kind of dependency. */
  readonly via?: ReferenceVia;
  /** For `rename`: the new name (same kind and, unless `renameSchema` says otherwise, schema). */
  readonly renameTo?: string;
  /** For a ClickHouse `rename` to another database (`RENAME TABLE a.t TO b.t` moves the table): the new name's database. */
  readonly renameSchema?: string;
  /** For a ClickHouse `rename` of a qualified name to an unqualified one (`RENAME TABLE a.t TO t`): the new name is in the store's database. */
  readonly renameToStoreDatabase?: boolean;
  /** `CREATE ... IF NOT EXISTS` / `DROP ... IF EXISTS`. */
  readonly ifNotExists?: boolean;
  readonly ifExists?: boolean;
  /** `CREATE OR REPLACE`. */
  readonly orReplace?: boolean;
  /** PostgreSQL `CREATE FUNCTION`: its input argument types (`text, int4`), which tell its overloads apart. */
  readonly signature?: string;
  /** `DROP ... CASCADE`. */
  readonly cascade?: boolean;
  /** For foreign keys: the referencing column(s) and the referenced column(s). */
  readonly columns?: readonly string[];
  readonly refColumns?: readonly string[];
  /** PostgreSQL `CREATE VIEW`: the names of its columns, in order, when they can be told (see view-columns.ts). */
  readonly outputColumns?: readonly string[];
  /** For a PostgreSQL view's `view_source` reference: the columns the view reads of it, `*` for all (see view-columns.ts). */
  readonly readColumns?: readonly string[];
  /** For a `reference` with via `extension_function`: the function name that implied it; `OWNED BY` for the table a sequence is made part of; `INHERITS` for a CREATE TABLE's parent (not a partition's); on ClickHouse `alter`/`write` effects, what the statement does (`DROP COLUMN x`, `DELETE`, `TRUNCATE`). */
  readonly detail?: string;
  /** ClickHouse `create`: the table's engine (`ReplicatedMergeTree`, `Distributed`), or a materialized view's inner table engine. */
  readonly tableEngine?: string;
  /** ClickHouse `create`: false when the object keeps no rows of its own (Distributed, Null, views, a materialized view with `TO`, dictionaries), so dropping it destroys no data. */
  readonly holdsData?: boolean;
  /** A `drop` that keeps the data where it is (ClickHouse `DETACH`). */
  readonly keepsData?: boolean;
  /** PostgreSQL: the columns of the table a CREATE TABLE, an ALTER TABLE or an index (its `index_table` reference) defines, takes away or acts on. */
  readonly columnFacts?: ColumnFacts;
}

/** What one statement does to a table's columns. */
export interface ColumnFacts {
  /** Columns the statement gives the table (CREATE TABLE: all it lists; ADD COLUMN; a RENAME COLUMN's new name). */
  readonly added?: readonly string[];
  /** Columns it takes away (DROP COLUMN; a RENAME COLUMN's old name). */
  readonly dropped?: readonly string[];
  /** Existing columns it names: keys of constraints and indexes, ALTER COLUMN, a plain DROP COLUMN. */
  readonly used?: readonly string[];
  /** Columns whose type it changes (`ALTER COLUMN c TYPE ...`). */
  readonly retyped?: readonly string[];
  /** Columns it drops with CASCADE (`DROP COLUMN c CASCADE`): what depends on them goes too. */
  readonly cascaded?: readonly string[];
  /** Columns it adds NOT NULL with no default (nor identity, serial or generated): a table with rows refuses them. */
  readonly bare?: readonly string[];
  /** Columns it adds only if the table has none of that name (`ADD COLUMN IF NOT EXISTS`). */
  readonly optional?: readonly string[];
  /** An `INSERT ... VALUES`: the table has rows after it (`used`: the columns it lists, when it lists them). */
  readonly fills?: true;
  /** Columns it makes NOT NULL (`ALTER COLUMN c SET NOT NULL`): a row holding NULL there refuses it. */
  readonly notNull?: readonly string[];
  /** A CREATE TABLE that lists every column the table starts with (no LIKE, INHERITS, PARTITION OF). */
  readonly complete?: boolean;
  /** Indexes its PRIMARY KEY and UNIQUE constraints make, by the name written or the one PostgreSQL chooses (`t_pkey`, `t_a_key`). */
  readonly indexes?: readonly string[];
  /** Constraints it adds (PRIMARY KEY, UNIQUE, EXCLUDE, FOREIGN KEY, CHECK), by the name written or the one PostgreSQL chooses. */
  readonly constraints?: readonly ConstraintName[];
  /** Constraints it drops by name (`DROP CONSTRAINT [IF EXISTS] x`). */
  readonly droppedConstraints?: readonly string[];
}

/** A constraint's name: `chosen` when PostgreSQL picks it (it then avoids names the table already has). */
export interface ConstraintName {
  readonly name: string;
  readonly kind: 'primary key' | 'unique' | 'exclusion' | 'foreign key' | 'check';
  readonly chosen?: true;
  /** `UNIQUE USING INDEX x` / `PRIMARY KEY USING INDEX x`: the constraint takes over index x instead of making one. */
  readonly usingIndex?: string;
  /** A PRIMARY KEY's or UNIQUE constraint's columns (not for USING INDEX, whose index has them). */
  readonly columns?: readonly string[];
}

/**
 * How a statement destroys data that exists only in the database:
 * - `drop`: the object goes with its contents (a table or materialized view with its rows, a schema or database
 *   with everything in it); with `cascade`, whatever depends on it goes too (any kind of object);
 * - `drop_column`: the column and its values;
 * - `rewrite_column`: every value of the column is rewritten (`ALTER COLUMN ... TYPE ... USING`), or, with
 *   `where`, the values in those rows are reset to the default (ClickHouse `MODIFY COLUMN ... TTL`);
 * - `delete_rows`: rows are removed (TRUNCATE, DELETE without WHERE, ClickHouse `ALTER TABLE ... DELETE`,
 *   `DELETE FROM`, `DROP PARTITION`, `MODIFY TTL`): all of them unless `where` or `partition` says which;
 * - `update_rows`: `columns` are overwritten in every row (UPDATE without WHERE, ClickHouse
 *   `ALTER TABLE ... UPDATE ... WHERE 1`), of `partition` if given;
 * - `replace`: the table is replaced by a new, empty one (ClickHouse `CREATE OR REPLACE TABLE`).
 */
export type DestructionKind = 'drop' | 'drop_column' | 'rewrite_column' | 'delete_rows' | 'update_rows' | 'replace';

/**
 * What one statement destroys, as its reader sees it. The planner adds what
 * only it knows: the qualified name in the store, and what a CASCADE reaches.
 *
 * @example
 * // ALTER TABLE app.accounts DROP COLUMN legacy_note
 * // → { kind: 'drop_column', object: { kind: 'table', name: 'accounts', schema: 'app' }, columns: ['legacy_note'] }
 */
export interface Destruction {
  readonly kind: DestructionKind;
  /** The table, materialized view, schema or database whose data goes (for a cascade: the dropped object). */
  readonly object: ObjectRef;
  /** Columns dropped, rewritten or overwritten. */
  readonly columns?: readonly string[];
  /** Which rows go, as written (ClickHouse `ALTER TABLE ... DELETE WHERE`, `DELETE FROM ... WHERE`). */
  readonly where?: string;
  /** The partition (or part) dropped, as written (ClickHouse). */
  readonly partition?: string;
  /** `DROP ... CASCADE` / `TRUNCATE ... CASCADE`: what depends on the object is destroyed with it. */
  readonly cascade?: boolean;
  /** `IF EXISTS`: nothing is destroyed when the object is missing. */
  readonly ifExists?: boolean;
}

/** A column as written in CREATE TABLE, used to compare two definitions of one table. */
export interface ColumnShape {
  readonly name: string;
  /** Normalised type, e.g. `uuid`, `bigint`, `varchar(255)`, `timestamptz`. */
  readonly type: string;
  readonly notNull: boolean;
  /** Deparsed default expression, if any. */
  readonly default?: string;
  readonly primaryKey?: boolean;
  readonly unique?: boolean;
  /** `table(column)` this column references, if any. */
  readonly references?: string;
}

export interface TableShape {
  readonly columns: readonly ColumnShape[];
  /** Table constraints normalised to text, e.g. `primary key (a, b)`, `unique (x)`. */
  readonly constraints: readonly string[];
}

/** One statement of a migration file with its place and effects. */
export interface ParsedStatement {
  /** 0-based index of the statement in its file. */
  readonly index: number;
  readonly engine: EngineName;
  /** The statement's text exactly as in the file (trimmed of surrounding white space, no trailing `;`). */
  readonly sql: string;
  /** UTF-8 byte offsets of `sql` in the file: [start, end). */
  readonly start: number;
  readonly end: number;
  /** 1-based line and column where the statement starts, and the line where it ends. */
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  /** Parser node type or keyword, e.g. `CreateStmt`, `IndexStmt`, `CREATE TABLE`, `CREATE CONSTRAINT`. */
  readonly kind: string;
  readonly effects: readonly Effect[];
  /** What the statement destroys; absent when it destroys nothing. */
  readonly destroys?: readonly Destruction[];
  /** False when the statement must run outside a transaction. */
  readonly transactional: boolean;
  readonly nonTransactionalReason?: string;
  /** ClickHouse: the cluster named by the statement's `ON CLUSTER`. */
  readonly onCluster?: string;
  /** ClickHouse: where ` ON CLUSTER name` goes (string offset in `sql`) in a statement that takes one and has none. */
  readonly clusterSlot?: number;
  /** ClickHouse: settings in force for the statement (from the `SET` statements before it in its file; a `SET`'s own). */
  readonly settings?: Readonly<Record<string, string>>;
  /** Placeholders and literals replaced in this statement before it was parsed (see the set's substitute: and variables:). */
  readonly substitutions?: readonly import('./substitute.js').AppliedSubstitution[];
  /** How the statement is undone, as its reader sees it; absent when it changes nothing of its own (COMMENT, GRANT, SET). */
  readonly revert?: StatementRevert;
  /** PostgreSQL: the search path a `SET search_path` earlier in the file gave the statement (see search-path.ts). */
  readonly searchPath?: readonly string[];
}

/**
 * How one statement is undone: the statements that undo it, in order, or why
 * none can (the planner may still know better: a drop it can recreate from an
 * earlier statement, a destruction apply backs up).
 *
 * @example
 * // ALTER TABLE accounts ADD COLUMN note text → { sql: ['ALTER TABLE public.accounts DROP COLUMN note'] }
 * // INSERT INTO plans VALUES (1) → { irreversible: 'INSERT changes rows: only a down file can say which to take back' }
 */
export type StatementRevert = { readonly sql: readonly string[] } | { readonly irreversible: string };

/** A whole migration file after parsing. */
export interface ParsedFile {
  /** Path relative to the topology root, with `/` separators. */
  readonly file: string;
  readonly engine: EngineName;
  /** How the engine was decided. */
  readonly engineSource: 'declared' | 'extension' | 'store' | 'detected' | 'default';
  /** SHA-256 of the file bytes, hex. */
  readonly checksum: string;
  readonly statements: readonly ParsedStatement[];
  readonly diagnostics: readonly import('../errors.js').Diagnostic[];
}

/** Canonical key of an object: `kind:schema.name` (triggers: `trigger:schema.table.name`). */
export function objectKey(o: ObjectRef): string {
  const schema = o.schema ?? (o.kind === 'database' || o.kind === 'extension' || o.kind === 'schema' ? '' : 'public');
  const prefix = schema ? `${schema}.` : '';
  const table = (o.kind === 'trigger' || o.kind === 'projection' || o.kind === 'index') && o.table ? `${o.table}.` : '';
  return `${o.kind}:${prefix}${table}${o.name}`;
}

/** Human label: `table "public.shares"`. */
export function objectLabel(o: ObjectRef): string {
  const key = objectKey(o);
  return `${o.kind.replace('_', ' ')} "${key.slice(key.indexOf(':') + 1)}"`;
}

/**
 * The name a `rename` effect leaves `old` with: in `renameSchema` when the rename moves it to another database,
 * unqualified (the store's database) for `renameToStoreDatabase`, else in the old name's schema.
 */
export function renamedRef(old: ObjectRef, e: Effect): ObjectRef {
  if (e.renameSchema !== undefined) return { ...old, name: e.renameTo!, schema: e.renameSchema };
  if (e.renameToStoreDatabase) return { kind: old.kind, name: e.renameTo! };
  return { ...old, name: e.renameTo! };
}
