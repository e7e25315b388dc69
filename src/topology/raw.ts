/**
 * The topology file as the user writes it (YAML), before validation and
 * resolution. `schemas/topology.schema.json` is the authority on this shape;
 * these types mirror it for the loader. Parsed, defaulted and path-resolved
 * settings live in {@link ./model.ts} (a different type on purpose: raw input is
 * never trusted past the validator).
 *
 * @example
 * topoplan: 1
 * name: nova-plan-a
 * root: ../examples/nova
 * stores:
 *   nova: { engine: postgres, database: nova, url: "${NOVA_PG_URL:-}" }
 * sets:
 *   social: { dir: social-service/migrations }
 * services:
 *   social-service: { stores: { postgres: nova }, sets: [social], owns: [likes, shares] }
 */

export interface RawTopology {
  /** Format version, always 1. */
  topoplan: 1;
  name: string;
  description?: string;
  /** Another topology file (relative to this one) whose settings this one overrides. Maps merge deeply, lists replace, `null` removes. */
  extends?: string;
  /** Directory that migration `dir`s are relative to; relative to this file. Default: this file's directory. */
  root?: string;
  stores: Record<string, RawStore>;
  sets: Record<string, RawSet>;
  services: Record<string, RawService>;
  renames?: RawRename[];
  supersessions?: RawSupersession[];
  /** Objects that several stores may each create (trigger functions, types, extensions): not owned by one service. */
  shared?: string[];
  /** Objects that exist already, created outside the migrations (no "referenced but never created" error). */
  external?: string[];
  skip?: RawSkip[];
  foreignKeys?: RawForeignKeyResolution[];
  /** Conflicts accepted on purpose (e.g. a CASCADE drop), each with a reason shown in the plan. */
  accept?: RawAccept[];
  /** Destructive statements a plain `apply` may run (after a backup), each with a reason shown in the plan. */
  allowDestructive?: RawAllowDestructive[];
  expectations?: RawExpectation[];
  /** Directory of the committed schema files (`<store>.json`, written by `topoplan check --update`), relative to this file. Default `schema/<name>`. */
  schemaDir?: string;
}

export interface RawStore {
  engine: 'postgres' | 'clickhouse' | 'neo4j';
  /** Database name (PostgreSQL database, ClickHouse database, Neo4j database). */
  database: string;
  /** Server URL; `${VAR}` and `${VAR:-default}` are expanded. Empty means: use the embedded engine (PostgreSQL, ClickHouse). */
  url?: string;
  /** ClickHouse only: the cluster the database spans; every DDL carries `ON CLUSTER <cluster>`. */
  cluster?: string;
  /** ClickHouse only, with `cluster`: the store's tables replicate; topoplan's ledger replicates too. */
  replicated?: boolean;
}

export interface RawSet {
  /** Directory relative to the topology root. */
  dir: string;
  /** Globs of file names (relative to dir) to take; default `["*.sql", "*.cypher", "*.cql"]`. */
  include?: string[];
  exclude?: string[];
  /** True for a legacy set that belongs to no service: each statement goes to the store of the owner of what it touches. */
  shared?: boolean;
  /** A shared set only: the store per engine of statements whose objects no service owns. */
  stores?: Partial<Record<'postgres' | 'clickhouse' | 'neo4j', string>>;
  /** `dir` may lie outside the topology's root (`/srv/legacy`, `../../other-repo`): without it such a dir is an error. */
  allowOutsideRoot?: boolean;
  /** Engine of files by glob, when a directory mixes engines. Otherwise: `.cypher`/`.cql` is neo4j, a file the PostgreSQL parser rejects but ClickHouse syntax explains is clickhouse. */
  engines?: Record<string, 'postgres' | 'clickhouse' | 'neo4j'>;
  /** Literal text replaced in every file before it is parsed, e.g. `{ "$%AUTO_INCREMENT_PRIMARY_KEY%$": "BIGINT PRIMARY KEY GENERATED ALWAYS AS IDENTITY" }`. One line each. */
  substitute?: Record<string, string>;
  /** Values of the placeholders `{{.NAME}}`, `${NAME}` and `$%NAME%$` in the set's files, by NAME. */
  variables?: Record<string, RawVariable>;
  /**
   * The tool the files are written for. `dbmate`, `goose`, `sqlx`, `golang-migrate`: a down section inside a
   * file (`-- migrate:down`, `-- +goose Down`, `-- Down`) is the file's revert, never run; `plain`: every
   * statement runs and markers are plain comments. Default: sections are run and each is a warning.
   */
  convention?: SetConvention;
  /** Sets whose statements come before this set's: their objects are what this set's statements see and change. */
  after?: string[];
  /** `subdirs`: each subdirectory of `dir` is a version (`delta/54/`), in numeric order; files by name inside. */
  versions?: 'subdirs';
  /** Engine of files by suffix, e.g. `{ ".sql.postgres": postgres, ".sql.sqlite": sqlite }`; a name that is not an engine of topoplan is never run. */
  suffixes?: Record<string, string>;
}

export type SetConvention = 'dbmate' | 'goose' | 'sqlx' | 'golang-migrate' | 'plain';

/**
 * Where a variable's value comes from: written here, an environment variable,
 * or a setting of the store the statement runs on (`database`, `name`, or an
 * engine setting such as a ClickHouse `cluster`). `values` maps the value
 * found to the text put in (e.g. `{ "true": Replicated, "false": "" }`).
 */
export type RawVariable =
  | { value: string }
  | { env: string; default?: string; values?: Record<string, string> }
  | { store: string; default?: string; values?: Record<string, string> };

export interface RawService {
  description?: string;
  /** Store used for each engine. */
  stores: Partial<Record<'postgres' | 'clickhouse' | 'neo4j', string>>;
  /** Migration sets this service runs, in order. */
  sets?: string[];
  /** Objects this service owns: names or globs, optionally `kind:` prefixed (`function:set_updated_at`, `feature_store.*`). */
  owns?: string[];
  /** `sqlx`: also record this service's files in `_sqlx_migrations` as sqlx does. Default `topoplan`. */
  ledger?: 'topoplan' | 'sqlx';
  /** Where the service's sqlx migrator keeps its ledger, when several sqlx services share a database (needs `ledger: sqlx`). */
  sqlx?: RawSqlxLedger;
  /** Environment variable holding the service's connection string (for diff and cut-over). Default `DATABASE_URL`. */
  env?: string;
}

/**
 * Where a service's `_sqlx_migrations` lives, so that services sharing one
 * database do not read each other's rows: a table of its own (sqlx 0.9
 * `migrate.table-name`), a schema of its own (the service connects with
 * `search_path` set to it), or the shared table, each migrator running with
 * `ignore_missing` (versions must then differ across services).
 */
export interface RawSqlxLedger {
  /** Table name, as in the service's `sqlx.toml` (`[migrate] table-name`, sqlx 0.9). Default `_sqlx_migrations`. */
  table?: string;
  /** Schema holding the table; the service's connection must put it first in `search_path`. Default `public`. */
  schema?: string;
  /** The service's migrator runs with `ignore_missing`: other services' versions in the same table are not missing for it. */
  ignoreMissing?: boolean;
}

export interface RawRename {
  from: string;
  to: string;
  /** Service that owns both the old and the new object. */
  owner: string;
  kind?: 'table';
  /** Old column name → new column name, where they differ. */
  columns?: Record<string, string>;
  reason?: string;
}

export interface RawSupersession {
  objects: string[];
  /** The service whose definitions win. */
  by: string;
  /** Sets whose definitions are superseded (default: every set but the winner's). */
  sets?: string[];
  reason?: string;
}

export interface RawSkip {
  set: string;
  /** File name or glob within the set. */
  file: string;
  /** 1-based statement numbers, `"3"` or `"2-5"`; or `lines: "10-24"`. Omit both to skip the whole file. */
  statements?: string;
  lines?: string;
  reason: string;
}

export interface RawForeignKeyResolution {
  /** Referencing table (glob), optionally `table.column`. */
  from: string;
  /** Referenced table (glob). */
  to: string;
  /** `drop`: remove the constraint and enforce it in the service; `replica`: keep a replica table; `colocate`: keep the tables together (an error if they are not). */
  resolution: 'drop' | 'replica' | 'colocate';
  reason?: string;
}

export interface RawAccept {
  /** Conflict code without the `plan.` prefix, e.g. `cascade_drop`. */
  conflict: string;
  /** Object name or glob the acceptance covers. */
  object: string;
  reason: string;
}

export interface RawAllowDestructive {
  set: string;
  /** File name or glob within the set; omit for every file of the set. */
  file?: string;
  /** 1-based statement numbers, `"3"` or `"2-5"`; omit for every destructive statement of the file. */
  statements?: string;
  /** Why destroying this data is intended; shown in the plan for review. */
  reason: string;
}

/** Names that must exist (`present`) and must not (`absent`). */
export interface RawPresence<T = string> {
  present?: T[];
  absent?: T[];
}

export type RawExpectation = { store: string; after?: 'apply' | 'contract' } & (
  | { tables: RawPresence }
  | { triggers: { like: string; count: number } }
  /** `{ like, count }` counts indexes by pattern; `{ present, absent }` names them. */
  | { indexes: { like: string; count: number } | RawPresence }
  | { rows: { table: string; min?: number; equals?: number } }
  /** Columns of one table: a name, or `{ name, type, nullable }` to check those too. */
  | { columns: { table: string; present?: (string | { name: string; type?: string; nullable?: boolean })[]; absent?: string[] } }
  /** Foreign keys from one table to another. */
  | { foreignKeys: RawPresence<{ from: string; to: string }> }
  | { extensions: RawPresence }
  /** Enums by name, and `values`: the exact labels of an enum, in order. */
  | { enums: RawPresence & { values?: Record<string, string[]> } }
  | { views: RawPresence }
  | { functions: RawPresence }
);
