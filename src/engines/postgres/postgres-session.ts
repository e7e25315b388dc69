/**
 * A PostgreSQL store session. It holds one connection to the maintenance
 * database for the whole session, used to check the server answers, to hold
 * the migration lock, to learn whether the store's database exists and to
 * create it. It connects to the store's database only once that database
 * exists (learnt from `pg_database`, not from a failed connect): before the
 * plan's `create_database` step runs, the ledger and the inspection read as
 * empty. A new connection costs tens of milliseconds, so each is opened once.
 *
 * @example
 * const session = await postgresEngine.connect({ store: 'nova', database: 'nova', url: 'postgres://localhost:5432/postgres' })
 */
import pg from 'pg';
import { readSqlxRows, sqlxRowSql } from './postgres-sqlx.js';
import { readKnownLedgers } from './postgres-known-ledgers.js';
import type { KnownLedgerRow, SqlxRow, RevertWork, ApplyContext, BackupFile, ConnectOptions, EngineCapabilities, EngineSession, LedgerKey, LedgerState, LedgerWrite, LockBreak, LockOptions, SchemaSnapshot, StepOutcome } from '../engine.js';
import type { Step } from '../../plan/model.js';
import { TopoplanError } from '../../errors.js';
import { applyCreateDatabase, applyNonTransactional, applyTransactional, type BeforeStatements } from './postgres-apply.js';
import { backupPostgres, backupTables } from './backup-postgres.js';
import type { BackupManifest, FoundBackup, RestoredObject } from '../backup-manifest.js';
import { restorePostgres } from './restore-postgres.js';
import { revertPostgres } from './postgres-revert.js';
import { acquireAdvisoryLock, advisoryLockHolder } from './postgres-lock.js';
import { ensureLedger, readLedgerState, recordsSql, removeSql, upgradeLedgerTable } from './postgres-ledger.js';
import { emptySnapshot, inspectPostgres } from './postgres-inspect.js';
import { invalidIndexes } from './postgres-invalid-indexes.js';
import { MAINTENANCE_DATABASE, databaseUrl, quoteQualified } from './postgres-url.js';

/** What PostgreSQL can do; shared by the engine and its sessions. */
import { POSTGRES_CAPABILITIES } from '../engine-capabilities.js';
export { POSTGRES_CAPABILITIES };

const INVALID_CATALOG = '3D000';

export class PostgresSession implements EngineSession {
  readonly capabilities = POSTGRES_CAPABILITIES;
  private maintenanceConnection: Promise<pg.Client> | undefined;
  private targetConnection: Promise<pg.Client> | undefined;
  /** Whether a ledger write committed on the target connection since the last flush (so it must be made durable). */
  private committed = false;

  constructor(private readonly options: ConnectOptions) {}

  /**
   * Checks the server answers, so a wrong URL fails at connect time. When the
   * store's database exists, connecting to it starts now, alongside the lock.
   */
  async ping(): Promise<void> {
    if (await this.databaseExists()) void this.target(true).catch(() => undefined);
  }

  /** The store's lock; releasing it first makes this session's steps durable, so the next holder starts from disk. */
  async lock(options: LockOptions): Promise<() => Promise<void>> {
    const unlock = await acquireAdvisoryLock(await this.maintenance(), { store: this.options.store, database: this.options.database, ...options });
    return async () => {
      await this.makeDurable();
      await unlock();
    };
  }

  /**
   * An advisory lock belongs to its holder's connection and ends with it (a
   * killed apply's lock is gone at once): there is no claim to break, only
   * the holder to name, and how to end its connection if it is stuck.
   */
  async breakLock(): Promise<LockBreak> {
    const holder = await advisoryLockHolder(await this.maintenance(), this.options.database);
    if (!holder) return { broken: false };
    return {
      holder,
      broken: false,
      holderState: 'alive',
      hint: `a PostgreSQL lock lives exactly as long as its holder's connection; if that apply is stuck, stop it, or end its connection on the server: SELECT pg_terminate_backend(${holder.pid})`,
    };
  }

  async readLedger(): Promise<LedgerState> {
    const client = await this.target(false);
    return client ? readLedgerState(client) : { records: [] };
  }

  async upgradeLedger(records: readonly LedgerWrite[]): Promise<void> {
    this.committed = true;
    await upgradeLedgerTable((await this.target(true))!, records);
  }

  async applyStep(step: Step, context: ApplyContext): Promise<StepOutcome> {
    // Every kind of step writes its ledger row through the target connection.
    this.committed = true;
    if (step.kind === 'create_database') {
      return applyCreateDatabase(await this.maintenance(), () => this.target(true) as Promise<pg.Client>, step);
    }
    const client = (await this.target(true))!;
    const dir = step.destructive ? context.backupDir : undefined;
    let manifest: BackupManifest | undefined;
    const before: BeforeStatements | undefined = dir
      ? async (c, inStep) => { manifest = await backupPostgres(c, { store: this.options.store, database: this.options.database, step, dir, lock: inStep }); }
      : undefined;
    const outcome = step.transactional ? await applyTransactional(client, step, before) : await applyNonTransactional(client, step, before);
    return manifest && dir ? { ...outcome, backup: { dir, manifest } } : outcome;
  }

  async revertStep(work: RevertWork, context: ApplyContext): Promise<StepOutcome> {
    this.committed = true;
    return revertPostgres((await this.target(true))!, work, { store: this.options.store, database: this.options.database, ...(context.backupDir ? { backupDir: context.backupDir } : {}) });
  }

  async record(writes: readonly LedgerWrite[], removals: readonly LedgerKey[] = []): Promise<void> {
    if (writes.length === 0 && removals.length === 0) return;
    const client = (await this.target(true))!;
    await ensureLedger(client);
    this.committed = true;
    // Several statements in one query commit together (an implicit transaction).
    await client.query([removeSql(removals), writes.length ? recordsSql(writes) : ''].filter(Boolean).join(';\n'));
  }

  async readSqlxRows(table: string | undefined): Promise<ReadonlyMap<string, SqlxRow>> {
    const client = await this.target(false);
    return client ? readSqlxRows(client, table) : new Map();
  }

  async writeSqlxRows(rows: readonly NonNullable<Step['sqlx']>[]): Promise<void> {
    if (rows.length === 0) return;
    const client = (await this.target(true))!;
    this.committed = true;
    // Several statements in one query commit together (an implicit transaction); nothing ran, so the execution time is the least topoplan records.
    await client.query(rows.map((r) => sqlxRowSql(r, 1n)).join(';\n'));
  }

  async readKnownLedgers(): Promise<readonly KnownLedgerRow[]> {
    const client = await this.target(false);
    return client ? readKnownLedgers(client) : [];
  }

  /** Backs up whole tables (definition and rows) into `dir` with a manifest, in one snapshot; see backup-postgres.ts. */
  async backupTables(tables: readonly string[], dir: string): Promise<BackupFile[]> {
    return backupTables((await this.target(true))!, { store: this.options.store, database: this.options.database, tables, dir });
  }

  async restoreBackup(backup: FoundBackup, options: { readonly force?: boolean }): Promise<RestoredObject[]> {
    return restorePostgres((await this.target(true))!, backup, { store: this.options.store, ...(options.force ? { force: true } : {}) });
  }

  async inspect(): Promise<SchemaSnapshot> {
    const client = await this.target(false);
    return client ? { ...(await inspectPostgres(client)), invalidIndexes: await invalidIndexes(client) } : emptySnapshot();
  }

  async rebuildIndex(name: string): Promise<void> {
    const client = (await this.target(true))!;
    // CONCURRENTLY, as the index was meant to be built: writes to its table go on meanwhile.
    await client.query(`REINDEX INDEX CONCURRENTLY ${quoteQualified(name)}`);
  }

  async countRows(table: string): Promise<number> {
    const client = (await this.target(true))!;
    const r = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${quoteQualified(table)}`);
    return Number(r.rows[0]?.n ?? 0);
  }

  /**
   * Makes every step committed through this session durable, then ends both
   * connections; a lock still held goes with the maintenance one.
   */
  async close(): Promise<void> {
    await this.makeDurable();
    const open = [this.targetConnection, this.maintenanceConnection];
    this.targetConnection = undefined;
    this.maintenanceConnection = undefined;
    await Promise.all(open.map(async (p) => (await p?.catch(() => undefined))?.end().catch(() => undefined)));
  }

  /** Waits until every step committed through this session is on disk (see durable()); best effort. */
  private async makeDurable(): Promise<void> {
    const target = this.targetConnection;
    if (!target || !this.committed) return;
    this.committed = false;
    await durable(target).catch(() => undefined);
  }

  /** Whether the store's database exists, asked of the server rather than learnt from a failed connect. */
  private async databaseExists(): Promise<boolean> {
    const r = await (await this.maintenance()).query<{ ok: boolean }>('SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS ok', [this.options.database]);
    return r.rows[0]?.ok === true;
  }

  /** The connection to the store's database; undefined when it does not exist and `required` is false. */
  private async target(required: boolean): Promise<pg.Client | undefined> {
    if (!this.targetConnection) {
      if (!required && !(await this.databaseExists())) return undefined;
      this.targetConnection ??= this.open(this.options.database, () => this.targetConnection, () => { this.targetConnection = undefined; });
    }
    try {
      return await this.targetConnection;
    } catch (e) {
      // Dropped between the check and the connect: as if it had never existed.
      if (!required && (e as { code?: string }).code === INVALID_CATALOG) return undefined;
      throw new TopoplanError('apply.connect', `apply: cannot connect to database "${this.options.database}" of store "${this.options.store}": ${(e as Error).message}`, [], { cause: e });
    }
  }

  /** The session's connection to the maintenance database, opened on first use. */
  private async maintenance(): Promise<pg.Client> {
    this.maintenanceConnection ??= this.open(MAINTENANCE_DATABASE, () => this.maintenanceConnection, () => { this.maintenanceConnection = undefined; });
    try {
      return await this.maintenanceConnection;
    } catch (e) {
      throw new TopoplanError('apply.connect', `apply: cannot connect to server of store "${this.options.store}": ${(e as Error).message}`, [], { cause: e });
    }
  }

  /**
   * Connects to `database`. A connection that fails, or that the server later
   * drops, is forgotten (`forget`, if `current` still returns it) so the next
   * use connects again instead of failing for the rest of the session.
   */
  private open(database: string, current: () => Promise<pg.Client> | undefined, forget: () => void): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: databaseUrl(this.options.url, database),
      application_name: `topoplan ${this.options.store}`,
      // Steps commit without waiting for the disk; close() waits once for all of them (see durable()).
      ...(database === this.options.database ? { options: '-c synchronous_commit=off' } : {}),
    });
    const connected = client.connect().then(() => client);
    // An idle connection dropped by the server emits 'error'; unhandled, it would crash the process.
    client.on('error', () => { if (current() === connected) forget(); });
    connected.catch(() => { if (current() === connected) forget(); });
    return connected;
  }
}

/**
 * Steps commit with `synchronous_commit = off`: each COMMIT returns before
 * its WAL reaches the disk, which on most servers is most of a small DDL
 * step's time. Atomicity and order are unchanged, so a server crash can only
 * lose a tail of the latest steps together with their ledger rows, and a
 * re-run applies them again. At the end one synchronous commit (a transaction
 * that takes an id) waits until the WAL up to it, and so every step, is on disk.
 */
async function durable(connection: Promise<pg.Client>): Promise<void> {
  const client = await connection;
  await client.query('SET synchronous_commit = on');
  await client.query('SELECT txid_current()');
}
