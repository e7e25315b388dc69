/**
 * A validated, resolved topology: defaults filled in, `extends` merged,
 * `${VAR:-default}` expanded, directories made absolute and every migration
 * file listed. Produced by `loadTopology()`; read-only from then on.
 */
import type { EngineName } from '../sql/effects.js';

/** Where a resolved value came from in the YAML, for diagnostics. */
export interface SourcePos {
  /** Topology file, relative to the current working directory or as given. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export interface Store {
  readonly name: string;
  readonly engine: EngineName;
  readonly database: string;
  /** Expanded URL, or undefined when empty (embedded engine at apply time). */
  readonly url?: string;
  /** The URL as written, e.g. `${NOVA_PG_URL:-}`, for diff and status output. */
  readonly urlTemplate?: string;
  /** ClickHouse: the cluster the database spans (every DDL runs `ON CLUSTER` it). */
  readonly cluster?: string;
  /** ClickHouse cluster: its tables replicate (Replicated* engines); the ledger replicates too. */
  readonly replicated?: boolean;
  readonly pos: SourcePos;
}

export interface MigrationFile {
  /** Path relative to the topology root, `/` separated (stable in plans). */
  readonly file: string;
  /** Absolute path on disk. */
  readonly absPath: string;
  /** Name within the set's directory. */
  readonly name: string;
  /** Engine declared by the set's `engines` globs, or by extension; undefined = decide by parsing. */
  readonly declaredEngine?: EngineName;
  /** The file's down file (`x.down.sql` beside `x.up.sql`): its revert, never run forward. */
  readonly revert?: { readonly file: string; readonly absPath: string; readonly name: string };
}

export interface MigrationSet {
  readonly name: string;
  readonly dir: string;
  readonly absDir: string;
  readonly shared: boolean;
  /** A shared set's store per engine for statements whose objects no service owns (`stores:`). */
  readonly defaultStores: Readonly<Partial<Record<EngineName, string>>>;
  /** The topology allows `dir` outside the topology's root (`allowOutsideRoot: true`). */
  readonly allowOutsideRoot: boolean;
  /** The service that lists this set; undefined for shared sets. */
  readonly service?: string;
  /** The tool the files are written for (see RawSet.convention); undefined = not declared. */
  readonly convention?: import('./raw.js').SetConvention;
  /** Sets whose statements come before this set's (`after:`), so this set sees what they leave. */
  readonly after: readonly string[];
  /** `subdirs`: each subdirectory of dir is a version, in numeric order; files by name inside. */
  readonly versions?: 'subdirs';
  /** Files in the author's order (sorted by name, as sqlx does; with versions: subdirs, `NN/name`). */
  readonly files: readonly MigrationFile[];
  /** Files in the set's directories that are never run (another language, another engine), with why. */
  readonly notRun: readonly { readonly file: string; readonly name: string; readonly reason: string }[];
  /** Literal replacements made in every file before parsing, in the order declared. */
  readonly substitutions: readonly SetSubstitution[];
  /** Values of placeholders in the set's files. */
  readonly variables: readonly SetVariable[];
  readonly pos: SourcePos;
}

export interface SetSubstitution {
  readonly text: string;
  readonly value: string;
  readonly pos: SourcePos;
}

/** A placeholder's value: fixed, from the environment (read when the topology is loaded), or from the store a statement runs on. */
export type VariableSource =
  | { readonly kind: 'value'; readonly value: string }
  | { readonly kind: 'env'; readonly env: string; readonly value: string }
  | { readonly kind: 'store'; readonly setting: string; readonly default?: string; readonly values?: Readonly<Record<string, string>> };

export interface SetVariable {
  readonly name: string;
  readonly from: VariableSource;
  readonly pos: SourcePos;
}

export interface Service {
  readonly name: string;
  readonly stores: Readonly<Partial<Record<EngineName, string>>>;
  readonly sets: readonly string[];
  readonly owns: readonly string[];
  readonly ledger: 'topoplan' | 'sqlx';
  /** Where its sqlx ledger lives, when it is not `public._sqlx_migrations` or the migrator ignores missing versions. */
  readonly sqlx?: SqlxLedger;
  readonly env: string;
  readonly pos: SourcePos;
}

/** A service's sqlx ledger: `schema.table` in its PostgreSQL store's database, and how its migrator reads it. */
export interface SqlxLedger {
  /** Default `_sqlx_migrations`. */
  readonly table?: string;
  /** Default `public`; a schema of the service's own is first in its connection's `search_path`. */
  readonly schema?: string;
  readonly ignoreMissing?: boolean;
  readonly pos: SourcePos;
}

export interface Rename {
  readonly from: string;
  readonly to: string;
  readonly owner: string;
  readonly kind: 'table';
  readonly columns: Readonly<Record<string, string>>;
  readonly reason?: string;
  readonly pos: SourcePos;
}

export interface Supersession {
  readonly objects: readonly string[];
  readonly by: string;
  /** Superseded sets; empty means every set but the winner's. */
  readonly sets: readonly string[];
  readonly reason?: string;
  readonly pos: SourcePos;
}

export interface Skip {
  readonly set: string;
  readonly file: string;
  /** 1-based inclusive statement range, or line range; neither = whole file. */
  readonly statements?: readonly [number, number];
  readonly lines?: readonly [number, number];
  readonly reason: string;
  readonly pos: SourcePos;
}

export interface ForeignKeyResolution {
  readonly from: string;
  readonly to: string;
  readonly resolution: 'drop' | 'replica' | 'colocate';
  readonly reason?: string;
  readonly pos: SourcePos;
}

export interface Accept {
  readonly conflict: string;
  readonly object: string;
  readonly reason: string;
  readonly pos: SourcePos;
}

/** An `allowDestructive:` entry: destructive statements of these files a plain apply may run. */
export interface AllowDestructive {
  readonly set: string;
  /** File name or glob within the set; undefined = every file. */
  readonly file?: string;
  /** 1-based inclusive statement range; undefined = every statement. */
  readonly statements?: readonly [number, number];
  readonly reason: string;
  readonly pos: SourcePos;
}

/** A column an expectation wants: its name, and optionally its type and nullability. */
export interface ExpectedColumn {
  readonly name: string;
  readonly type?: string;
  readonly nullable?: boolean;
}

/** A foreign key between two tables, either way round named by the referencing table first. */
export interface ExpectedForeignKey {
  readonly from: string;
  readonly to: string;
}

/** Kinds of object an `objects` expectation looks for, by name. */
export type ExpectedObjectKind = 'extension' | 'enum' | 'view' | 'index' | 'function';

interface ExpectationBase {
  readonly store: string;
  readonly after: 'apply' | 'contract';
  readonly pos: SourcePos;
}

export type Expectation =
  | (ExpectationBase & { readonly kind: 'tables'; readonly present: readonly string[]; readonly absent: readonly string[] })
  | (ExpectationBase & { readonly kind: 'triggers' | 'indexes'; readonly like: string; readonly count: number })
  | (ExpectationBase & { readonly kind: 'rows'; readonly table: string; readonly min?: number; readonly equals?: number })
  | (ExpectationBase & { readonly kind: 'columns'; readonly table: string; readonly present: readonly ExpectedColumn[]; readonly absent: readonly string[] })
  | (ExpectationBase & { readonly kind: 'foreignKeys'; readonly present: readonly ExpectedForeignKey[]; readonly absent: readonly ExpectedForeignKey[] })
  | (ExpectationBase & {
      readonly kind: 'objects';
      readonly objectKind: ExpectedObjectKind;
      readonly present: readonly string[];
      readonly absent: readonly string[];
      /** Enums: the exact labels, in order, per enum. */
      readonly values?: Readonly<Record<string, readonly string[]>>;
    });

export interface Topology {
  readonly name: string;
  readonly description?: string;
  /** The topology file as given (relative path kept for output), and its chain of `extends`. */
  readonly file: string;
  readonly extendsChain: readonly string[];
  /** Absolute root directory of migration sets. */
  readonly root: string;
  readonly stores: ReadonlyMap<string, Store>;
  readonly sets: ReadonlyMap<string, MigrationSet>;
  readonly services: ReadonlyMap<string, Service>;
  readonly renames: readonly Rename[];
  readonly supersessions: readonly Supersession[];
  readonly shared: readonly string[];
  readonly external: readonly string[];
  readonly skips: readonly Skip[];
  readonly foreignKeys: readonly ForeignKeyResolution[];
  readonly accepts: readonly Accept[];
  readonly allowDestructive: readonly AllowDestructive[];
  readonly expectations: readonly Expectation[];
  /** Absolute directory of the committed schema files, one `<store>.json` per store. */
  readonly schemaDir: string;
}
