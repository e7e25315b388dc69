/**
 * The one small interface every database engine implements. The executor
 * talks to engines only through it; the planner never imports an engine.
 *
 * @example
 * const engine = await postgresEngine.connect({ store, url })
 * const release = await engine.lock({ timeoutMs: 30_000 })
 * try { const { records } = await engine.readLedger(); await engine.applyStep(step, { workDir }) }
 * finally { await release(); await engine.close() }
 */
import type { EngineName } from '../sql/effects.js';
import type { Step } from '../plan/model.js';
import type { SchemaObject } from './schema-objects.js';
import type { BackupManifest, FoundBackup, RestoredObject } from './backup-manifest.js';
export type * from './schema-objects.js';

/** What an engine can do, declared rather than probed. */
export interface EngineCapabilities {
  /** DDL can run inside a transaction together with the ledger row (PostgreSQL: yes; ClickHouse, Neo4j: no). */
  readonly transactionalDdl: boolean;
  /** A session-level advisory lock exists (PostgreSQL `pg_try_advisory_lock`); otherwise a lock row in a table. */
  readonly advisoryLocks: boolean;
  /** The engine can stream rows between tables (COPY). */
  readonly copy: boolean;
  /**
   * `applyStep` backs up what a destructive step destroys itself, before it runs
   * (into `ApplyContext.backupDir`, with a manifest), and returns it in `StepOutcome.backup`;
   * otherwise the executor copies the rows of dropped tables with `backupTables` first.
   */
  readonly stepBackups: boolean;
}

/** What identifies a ledger record: a statement of a file, or a synthetic step. */
export interface LedgerKey {
  /** The statement's file, relative to the topology root; empty for a synthetic step. */
  readonly file: string;
  /** The statement's fingerprint (see the plan's `StepSource.fingerprints`); for a synthetic step, its name (the step id without the store). */
  readonly fingerprint: string;
}

/** What wrote a ledger record. */
export type LedgerOrigin = 'apply' | 'rerecord' | 'adopt' | 'transition' | 'upgrade';

/**
 * One row of a store's ledger: one statement (or synthetic step) that is in
 * effect in the store's database, whatever step of whatever plan ran it.
 */
export interface LedgerRecord extends LedgerKey {
  /** 0-based index of the statement in its file when it was recorded. */
  readonly ordinal: number;
  /** The store that recorded it. */
  readonly store: string;
  /** The step it ran in (for people: steps are regrouped freely). */
  readonly stepId: string;
  readonly phase: string;
  /** `applied`, or `started` for a non-transactional statement that began and was not seen to finish. */
  readonly status: 'applied' | 'started';
  readonly origin: LedgerOrigin;
  /** ISO time; a write without it takes the server's clock. */
  readonly appliedAt: string;
  /** Duration of the step it ran in. */
  readonly durationMs: number;
  /** The statement as run. */
  readonly sql: string;
  /** The statement as written in its file, when the plan ran a rewritten form of it. */
  readonly source?: string;
}

/** A record to write: its time is the server's now unless given (a re-record keeps the first). */
export type LedgerWrite = Omit<LedgerRecord, 'appliedAt'> & { readonly appliedAt?: string };

/** A row of a ledger in the format of earlier versions: one per step, keyed by step id. */
export interface LegacyLedgerRow {
  readonly stepId: string;
  readonly file?: string;
  /** `first-last` 0-based statement range, or empty for synthetic steps. */
  readonly statements?: string;
  readonly checksum: string;
  readonly phase: string;
  readonly status: 'applied' | 'started';
  readonly appliedAt: string;
  readonly durationMs: number;
  /** The statements as applied, joined by `;\n`. */
  readonly sql?: string;
}

/** A store's ledger: its records, or (once, before the upgrade) the rows of the earlier format. */
export interface LedgerState {
  readonly records: readonly LedgerRecord[];
  /** Present when the ledger is still in the per-step format: `upgradeLedger()` rewrites it. */
  readonly legacy?: readonly LegacyLedgerRow[];
  /** The store's database did not exist when the ledger was read (engines that can tell say so): it held nothing. */
  readonly noDatabase?: true;
}

/** A row of a service's `_sqlx_migrations`, as sqlx reads it. */
export interface SqlxRow {
  readonly version: string;
  readonly description: string;
  readonly success: boolean;
  /** SHA-384 of the file bytes, hex. */
  readonly checksum: string;
}

/** A row of another migration tool's ledger (Flyway, dbmate, golang-migrate): evidence that a file ran. */
export interface KnownLedgerRow {
  readonly tool: 'flyway' | 'dbmate' | 'golang-migrate';
  /** `schema.table` it was read from. */
  readonly table: string;
  /** The file's version as the tool records it (`20240101120000`, `1.2`). */
  readonly version?: string;
  /** Flyway: the script's file name. */
  readonly script?: string;
  /** golang-migrate: every version up to this one is applied. */
  readonly upTo?: boolean;
  /** golang-migrate: the last version failed midway. */
  readonly dirty?: boolean;
}

/** One step's revert as an engine runs it (see `EngineSession.revertStep`). */
export interface RevertWork {
  /** The step reverted: errors and the backup name it. */
  readonly stepId: string;
  readonly statements: readonly string[];
  readonly transactional: boolean;
  /** The step's ledger records, removed with the revert. */
  readonly removals: readonly LedgerKey[];
  /** The step's sqlx row, removed with it (as `sqlx migrate revert` does). */
  readonly sqlx?: { readonly version: string; readonly table?: string };
  /** What the revert's statements destroy (a table that holds rows, a column): backed up first. */
  readonly destroys: Step['destroys'];
}

/** What applying one step returns. */
export interface StepOutcome {
  /** Rows moved, for copy steps. */
  readonly rows?: number;
  readonly durationMs: number;
  /** What ran otherwise than written, per statement (e.g. ON CLUSTER on a one-node embedded cluster). */
  readonly notes?: readonly string[];
  /** The backup taken before a destructive step (engines with `stepBackups`), when anything it destroys existed. */
  readonly backup?: StepBackup;
}

/** A backup an engine took before a step: its directory and manifest. */
export interface StepBackup {
  readonly dir: string;
  readonly manifest: BackupManifest;
}

export interface ConnectOptions {
  /** Store name (ledger rows and messages name it). */
  readonly store: string;
  readonly database: string;
  readonly url: string;
  /** ClickHouse: the cluster the store's database spans; topoplan's own DDL runs ON CLUSTER it. */
  readonly cluster?: string;
  /** ClickHouse cluster whose tables replicate: the ledger is a replicated table too. */
  readonly replicated?: boolean;
  /** How to wait for an engine another process holds (embedded ClickHouse takes one process at a time). */
  readonly wait?: ConnectWait;
}

/** Waiting at connect time, for an embedded engine that serves one process at a time. */
export interface ConnectWait {
  /** How long to wait. */
  readonly timeoutMs?: number;
  /** Stops waiting: connect rejects. */
  readonly signal?: AbortSignal;
  /** Told once, when the wait begins. */
  readonly onNote?: (message: string) => void;
}

export interface LockOptions {
  readonly timeoutMs: number;
  /** Poll interval while another apply holds the lock. */
  readonly pollMs?: number;
  /** Stops waiting: the lock call rejects with an `interrupted` error. */
  readonly signal?: AbortSignal;
  /** Told of what happens on the way (a dead holder's claim broken). */
  readonly onNote?: (message: string) => void;
  /** For locks that are claims with a lease (ClickHouse, Neo4j): how long a claim counts without a renewal. */
  readonly leaseMs?: number;
}

/** Who holds (or held) a store's lock. */
export interface LockHolder {
  /** Host name, empty when the engine cannot tell (a claim written by an older version). */
  readonly host: string;
  readonly pid: number;
  /** Boot, pid namespace and start time of the process, to tell a dead holder from a live one (see process-identity). */
  readonly fingerprint: string;
  /** ISO time since when it holds the lock. */
  readonly since: string;
  /** More about it, e.g. the PostgreSQL application name. */
  readonly detail?: string;
}

/** What `breakLock` did. */
export interface LockBreak {
  /** The holder found (its claim broken when `broken`), or undefined when the store was not locked. */
  readonly holder?: LockHolder;
  readonly broken: boolean;
  /** Whether that process still runs (on this host), is gone, or cannot be told from here. */
  readonly holderState?: 'alive' | 'dead' | 'unknown';
  /** How to end the lock where it cannot be broken from outside (PostgreSQL's advisory locks). */
  readonly hint?: string;
}

/** A connected engine bound to one store. */
export interface EngineSession {
  readonly capabilities: EngineCapabilities;
  /** Takes the store's migration lock, polling until `timeoutMs`; returns the release function. */
  lock(options: LockOptions): Promise<() => Promise<void>>;
  /**
   * Breaks the store's lock on purpose (`topoplan unlock`), saying who held it
   * since when; a holder that provably still runs is left alone unless `force`.
   */
  breakLock(options?: { force?: boolean }): Promise<LockBreak>;
  readLedger(): Promise<LedgerState>;
  /**
   * Replaces a ledger still in the per-step format with these records, once:
   * in one transaction where the engine has them, and a no-op when another
   * apply upgraded it meanwhile.
   */
  upgradeLedger(records: readonly LedgerWrite[]): Promise<void>;
  /** Applies a step and records each of its statements in the ledger (atomically where the engine can). */
  applyStep(step: Step, context: ApplyContext): Promise<StepOutcome>;
  /**
   * Runs one step's revert (`topoplan rollback`) and removes its ledger records and sqlx row,
   * in one transaction (after a backup of what the revert destroys into `context.backupDir`).
   * Engines without transactional DDL leave it out: the rollback runs the statements as a step and removes the records after.
   */
  revertStep?(work: RevertWork, context: ApplyContext): Promise<StepOutcome>;
  /** Writes and removes ledger records without running anything (re-record, adopt, transition), together where the engine can. */
  record(writes: readonly LedgerWrite[], removals?: readonly LedgerKey[]): Promise<void>;
  /**
   * The rows of an sqlx ledger table (`schema.table`; default `_sqlx_migrations`)
   * by version; empty when the table does not exist. Engines without sqlx leave it out.
   */
  readSqlxRows?(table: string | undefined): Promise<ReadonlyMap<string, SqlxRow>>;
  /** Writes sqlx rows without running anything (a missing row, a re-recorded checksum), replacing a row of the same version. */
  writeSqlxRows?(rows: readonly NonNullable<Step['sqlx']>[]): Promise<void>;
  /** The ledgers of other migration tools found in the store (see {@link KnownLedgerRow}); engines without any leave it out. */
  readKnownLedgers?(): Promise<readonly KnownLedgerRow[]>;
  /** Copies the rows of each table to files under `dir` before a destructive step; returns the files written. */
  backupTables(tables: readonly string[], dir: string): Promise<BackupFile[]>;
  /**
   * Restores a backup this engine took (`topoplan restore`): recreates what is missing and
   * loads the rows, all or nothing; refuses to overwrite rows or values unless `force`.
   * Engines that take no backups of their own leave it out.
   */
  restoreBackup?(backup: FoundBackup, options: { readonly force?: boolean }): Promise<RestoredObject[]>;
  /**
   * What the store holds now: for verification, status and schema fingerprints.
   * With `'names'` an engine may leave out what only a full description needs
   * (columns, functions): the names of tables, views, indexes and triggers are
   * there, which is what name expectations check; with `'tables'` only those
   * of tables and views need be (expectations about tables present or absent).
   */
  inspect(scope?: InspectScope): Promise<SchemaSnapshot>;
  /** Builds an index again that exists but is INVALID (see `SchemaSnapshot.invalidIndexes`); engines without such indexes leave it out. */
  rebuildIndex?(name: string): Promise<void>;
  /** Exact row count of a table (qualified or not). */
  countRows(table: string): Promise<number>;
  close(): Promise<void>;
}

/** How much `inspect()` reads: everything, the names expectations check, or only the names of tables and views. */
export type InspectScope = 'full' | 'names' | 'tables';

export interface ApplyContext {
  /** Directory for backups and other artefacts of this apply (absolute). */
  readonly workDir: string;
  /**
   * Given for a destructive step: where its backup goes (one directory per run and step,
   * see backup-manifest.ts). An engine with `stepBackups` backs up there before the step's
   * statements run; a backup that fails fails the step, and its statements do not run.
   */
  readonly backupDir?: string;
}

/** One object a backup holds. */
export interface BackupFile {
  readonly table: string;
  /** The data file (or, for a copy kept in the database, the table holding it). */
  readonly path: string;
  readonly rows: number;
  /** The backup's `manifest.json`, which `topoplan restore` reads. */
  readonly manifest?: string;
}

/**
 * Objects present in a store: qualified names per kind, sorted; `definitions`
 * maps each to a normalised definition for fingerprints; `objects` describes
 * each one in full (columns, constraints, keys, owners), for schema files,
 * expectations and drift.
 */
export interface SchemaSnapshot {
  readonly tables: readonly string[];
  readonly views: readonly string[];
  readonly indexes: readonly string[];
  readonly triggers: readonly string[];
  readonly functions: readonly string[];
  readonly extensions: readonly string[];
  readonly types: readonly string[];
  readonly sequences: readonly string[];
  /** Column lists and other definition text per object, for a stable fingerprint. */
  readonly definitions: Readonly<Record<string, string>>;
  /** Every object above, structured; sorted by kind (in {@link SCHEMA_OBJECT_KINDS} order) and name. */
  readonly objects: readonly SchemaObject[];
  /** Indexes that exist but cannot be used (PostgreSQL: left INVALID by a cancelled `CREATE INDEX CONCURRENTLY`). */
  readonly invalidIndexes?: readonly string[];
}

/** Factory: one per engine kind. */
export interface Engine {
  readonly name: EngineName;
  readonly capabilities: EngineCapabilities;
  connect(options: ConnectOptions): Promise<EngineSession>;
}
