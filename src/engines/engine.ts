/**
 * The one small interface every database engine implements. The executor
 * talks to engines only through it; the planner never imports an engine.
 *
 * @example
 * const engine = await postgresEngine.connect({ store, url })
 * const release = await engine.lock({ timeoutMs: 30_000 })
 * try { const ledger = await engine.readLedger(); await engine.applyStep(step, entry) }
 * finally { await release(); await engine.close() }
 */
import type { EngineName } from '../sql/effects.js';
import type { Step } from '../plan/model.js';
import type { SchemaObject } from './schema-objects.js';
export type * from './schema-objects.js';

/** What an engine can do, declared rather than probed. */
export interface EngineCapabilities {
  /** DDL can run inside a transaction together with the ledger row (PostgreSQL: yes; ClickHouse, Neo4j: no). */
  readonly transactionalDdl: boolean;
  /** A session-level advisory lock exists (PostgreSQL `pg_try_advisory_lock`); otherwise a lock row in a table. */
  readonly advisoryLocks: boolean;
  /** The engine can stream rows between tables (COPY). */
  readonly copy: boolean;
}

/** One row of a store's ledger. */
export interface LedgerEntry {
  readonly stepId: string;
  readonly file?: string;
  /** `first-last` statement range, or empty for synthetic steps. */
  readonly statements?: string;
  readonly checksum: string;
  readonly phase: string;
  /** `applied`, or `started` for a non-transactional step that began and was not seen to finish. */
  readonly status: 'applied' | 'started';
  readonly appliedAt: string;
  readonly durationMs: number;
  /** The statements as applied, so a changed source can be shown. */
  readonly sql?: string;
}

/** What applying one step returns. */
export interface StepOutcome {
  /** Rows moved, for copy steps. */
  readonly rows?: number;
  readonly durationMs: number;
}

export interface ConnectOptions {
  /** Store name (ledger rows and messages name it). */
  readonly store: string;
  readonly database: string;
  readonly url: string;
}

export interface LockOptions {
  readonly timeoutMs: number;
  /** Poll interval while another apply holds the lock. */
  readonly pollMs?: number;
  /** Stops waiting: the lock call rejects with an `apply.interrupted` error. */
  readonly signal?: AbortSignal;
}

/** A connected engine bound to one store. */
export interface EngineSession {
  readonly capabilities: EngineCapabilities;
  /** Takes the store's migration lock, polling until `timeoutMs`; returns the release function. */
  lock(options: LockOptions): Promise<() => Promise<void>>;
  readLedger(): Promise<LedgerEntry[]>;
  /** Applies a step and records it in the ledger (atomically where the engine can). */
  applyStep(step: Step, context: ApplyContext): Promise<StepOutcome>;
  /** Re-writes a step's ledger row with the current checksum and SQL, without running it. */
  rerecord(step: Step): Promise<void>;
  /** Copies the rows of each table to files under `dir` before a destructive step; returns the files written. */
  backupTables(tables: readonly string[], dir: string): Promise<BackupFile[]>;
  /** What the store holds now: for verification, status and schema fingerprints. */
  inspect(): Promise<SchemaSnapshot>;
  /** Exact row count of a table (qualified or not). */
  countRows(table: string): Promise<number>;
  close(): Promise<void>;
}

export interface ApplyContext {
  /** Directory for backups and other artefacts of this apply (absolute). */
  readonly workDir: string;
}

export interface BackupFile {
  readonly table: string;
  readonly path: string;
  readonly rows: number;
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
}

/** Factory: one per engine kind. */
export interface Engine {
  readonly name: EngineName;
  readonly capabilities: EngineCapabilities;
  connect(options: ConnectOptions): Promise<EngineSession>;
}
