/**
 * What an inspection finds in a store, object by object, in engine-neutral
 * terms: the structured half of a {@link SchemaSnapshot}. Schema files,
 * expectations, drift reports and adopting an already-migrated database all
 * read these rather than SQL text. Names are qualified (`public.likes`,
 * `feature_store.features`; triggers `public.likes.trg_x`; functions with
 * their argument types, `public.f(integer)`), and every list is sorted.
 *
 * @example
 * const likes = snapshot.objects.find((o) => o.kind === 'table' && o.name === 'public.likes')
 * likes.columns[0] // { name: 'id', type: 'uuid', nullable: false, default: 'gen_random_uuid()' }
 */

/** A column as the database reports it. */
export interface ColumnInfo {
  readonly name: string;
  /** The engine's own spelling: `timestamp with time zone`, `character varying(255)`, `Nullable(String)`. */
  readonly type: string;
  readonly nullable: boolean;
  readonly default?: string;
  /** How the value is made when it is not a plain default: `identity always`, `identity by default`, `stored`; ClickHouse `MATERIALIZED`, `ALIAS`, `EPHEMERAL`. */
  readonly generated?: string;
}

export type ConstraintType = 'primary key' | 'unique' | 'foreign key' | 'check' | 'exclusion';

export interface ConstraintInfo {
  readonly name: string;
  readonly type: ConstraintType;
  /** Constrained columns, in key order (empty for a check on an expression). */
  readonly columns: readonly string[];
  /** The server's text, e.g. `FOREIGN KEY (post_id) REFERENCES posts(id) ON DELETE CASCADE`. */
  readonly definition: string;
  /** Foreign keys: the referenced table (qualified) and columns. */
  readonly references?: { readonly table: string; readonly columns: readonly string[] };
  /** Made by the database for a partition, from the partitioned table's constraint of this name. */
  readonly inherited?: boolean;
}

export interface TableObject {
  readonly kind: 'table';
  readonly name: string;
  readonly columns: readonly ColumnInfo[];
  /** Sorted by name. */
  readonly constraints: readonly ConstraintInfo[];
  /** A partition: its parent table and bounds. */
  readonly partitionOf?: { readonly table: string; readonly bound: string };
  /** PostgreSQL `PARTITION BY` of a partitioned table; ClickHouse `PARTITION BY`. */
  readonly partitionBy?: string;
  /** ClickHouse: engine with its arguments (`ReplacingMergeTree(updated_at)`), sorting key, primary key when it differs, sampling key, TTL. */
  readonly engine?: string;
  readonly orderBy?: string;
  readonly primaryKey?: string;
  readonly sampleBy?: string;
  readonly ttl?: string;
}

export interface ViewObject {
  readonly kind: 'view';
  readonly name: string;
  readonly materialized: boolean;
  /** The query as the server normalises it. */
  readonly definition: string;
  /** ClickHouse materialized view: the table it writes to (`TO db.table`). */
  readonly target?: string;
}

export interface IndexObject {
  readonly kind: 'index';
  readonly name: string;
  readonly table: string;
  /** `CREATE INDEX ... ON ... USING btree (...)`, or a ClickHouse skipping index `bloom_filter ON t (expr) GRANULARITY 4`. */
  readonly definition: string;
  readonly unique: boolean;
  /** The constraint (primary key, unique, exclusion) this index implements: the database made it with the constraint. */
  readonly constraint?: string;
  /** For an index of a partition: the partitioned table's index it was made from, by the database. */
  readonly partitionOf?: string;
}

export interface TriggerObject {
  readonly kind: 'trigger';
  /** `schema.table.trigger`. */
  readonly name: string;
  readonly table: string;
  readonly definition: string;
  /** The function it executes, qualified. */
  readonly function?: string;
  /** For a trigger of a partition: cloned by the database from the partitioned table's trigger. */
  readonly partitionOf?: string;
}

export interface FunctionObject {
  readonly kind: 'function';
  /** Qualified name with identity arguments: `public.f(integer, text)`. */
  readonly name: string;
  /** Qualified name without arguments: `public.f`. */
  readonly routine: string;
  readonly arguments: string;
  readonly returns: string;
  readonly language: string;
  /** `md5:` and the MD5 of the body as stored (any change to the text changes it). */
  readonly bodyHash: string;
  readonly procedure?: boolean;
}

export interface TypeObject {
  readonly kind: 'type';
  readonly name: string;
  readonly type: 'enum' | 'domain' | 'composite' | 'range';
  /** Enum labels in their sort order. */
  readonly values?: readonly string[];
  /** Domains: base type, nullability, default and checks; composites: their attributes; ranges: the subtype. */
  readonly definition?: string;
}

export interface ExtensionObject {
  readonly kind: 'extension';
  readonly name: string;
  readonly version: string;
  readonly schema: string;
}

export interface SequenceObject {
  readonly kind: 'sequence';
  readonly name: string;
  readonly type: string;
  readonly start: string;
  readonly increment: string;
  /** `schema.table.column` when a column owns it (serial, identity): the database made it with the column. */
  readonly ownedBy?: string;
}

export type SchemaObject = TableObject | ViewObject | IndexObject | TriggerObject | FunctionObject | TypeObject | ExtensionObject | SequenceObject;

export type SchemaObjectKind = SchemaObject['kind'];

/** The order kinds are listed in, everywhere. */
export const SCHEMA_OBJECT_KINDS: readonly SchemaObjectKind[] = ['extension', 'type', 'sequence', 'table', 'view', 'index', 'trigger', 'function'];

/**
 * True for an object the database creates by itself along with another one:
 * an index implementing a constraint, an index or trigger of a partition
 * cloned from its parent's, a sequence owned by a column. Such objects are
 * never "unknown" and follow their owner in schema files.
 *
 * @example madeByDatabase({ kind: 'index', name: 'public.likes_pkey', constraint: 'likes_pkey', ... }) // true
 */
export function madeByDatabase(o: SchemaObject): boolean {
  if (o.kind === 'index') return o.constraint !== undefined || o.partitionOf !== undefined;
  if (o.kind === 'trigger') return o.partitionOf !== undefined;
  if (o.kind === 'sequence') return o.ownedBy !== undefined;
  return false;
}
