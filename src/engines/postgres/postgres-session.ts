/**
 * A PostgreSQL store session. It connects lazily to the store's database,
 * because before the plan's `create_database` step runs that database does
 * not exist: until then the ledger reads as empty and the inspection as empty.
 *
 * @example
 * const session = await postgresEngine.connect({ store: 'nova', database: 'nova', url: 'postgres://localhost:5432/postgres' })
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import type { ApplyContext, BackupFile, ConnectOptions, EngineCapabilities, EngineSession, LedgerEntry, LockOptions, SchemaSnapshot, StepOutcome } from '../engine.js';
import type { Step } from '../../plan/model.js';
import { TopoplanError } from '../../errors.js';
import { applyCreateDatabase, applyNonTransactional, applyTransactional } from './postgres-apply.js';
import { acquireAdvisoryLock } from './postgres-lock.js';
import { readLedgerRows, rerecordRow } from './postgres-ledger.js';
import { emptySnapshot, inspectPostgres } from './postgres-inspect.js';
import { exportTableCsv } from './csv-cursor-export.js';
import { findPgDump, runPgDump } from './pg-dump.js';
import { MAINTENANCE_DATABASE, databaseUrl, quoteQualified } from './postgres-url.js';

/** What PostgreSQL can do; shared by the engine and its sessions. */
export const POSTGRES_CAPABILITIES: EngineCapabilities = { transactionalDdl: true, advisoryLocks: true, copy: true };

const INVALID_CATALOG = '3D000';

export class PostgresSession implements EngineSession {
  readonly capabilities = POSTGRES_CAPABILITIES;
  private client: pg.Client | undefined;

  constructor(private readonly options: ConnectOptions) {}

  /** Checks the server answers (on the maintenance database), so a wrong URL fails at connect time. */
  async ping(): Promise<void> {
    await this.withMaintenance(async (c) => { await c.query('SELECT 1'); });
  }

  lock(options: LockOptions): Promise<() => Promise<void>> {
    return acquireAdvisoryLock({ url: this.options.url, store: this.options.store, database: this.options.database, ...options });
  }

  async readLedger(): Promise<LedgerEntry[]> {
    const client = await this.target(false);
    return client ? readLedgerRows(client) : [];
  }

  async applyStep(step: Step, _context: ApplyContext): Promise<StepOutcome> {
    if (step.kind === 'create_database') {
      return this.withMaintenance((m) => applyCreateDatabase(m, () => this.target(true) as Promise<pg.Client>, step));
    }
    const client = (await this.target(true))!;
    return step.transactional ? applyTransactional(client, step) : applyNonTransactional(client, step);
  }

  async rerecord(step: Step): Promise<void> {
    const client = await this.target(true);
    const changed = await rerecordRow(client!, step);
    if (changed === 0) {
      throw new TopoplanError('apply.rerecord_missing', `apply: store "${this.options.store}" has no ledger row for step "${step.id}" to re-record`);
    }
  }

  async backupTables(tables: readonly string[], dir: string): Promise<BackupFile[]> {
    await mkdir(dir, { recursive: true });
    const client = (await this.target(true))!;
    const major = Math.floor(Number((await client.query<{ v: string }>(`SELECT current_setting('server_version_num') AS v`)).rows[0]?.v) / 10000);
    const dump = await findPgDump(major);
    const files: BackupFile[] = [];
    for (const table of tables) {
      const base = path.join(dir, `${safeName(this.options.store)}.${safeName(table)}`);
      if (dump) {
        const file = `${base}.sql`;
        await runPgDump(dump, databaseUrl(this.options.url, this.options.database), table, file);
        files.push({ table, path: file, rows: await this.countRows(table) });
      } else {
        const file = `${base}.csv`;
        files.push({ table, path: file, rows: await exportTableCsv(client, table, file) });
      }
    }
    return files;
  }

  async inspect(): Promise<SchemaSnapshot> {
    const client = await this.target(false);
    return client ? inspectPostgres(client) : emptySnapshot();
  }

  async countRows(table: string): Promise<number> {
    const client = (await this.target(true))!;
    const r = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${quoteQualified(table)}`);
    return Number(r.rows[0]?.n ?? 0);
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  /** The connection to the store's database; undefined when it does not exist and `required` is false. */
  private async target(required: boolean): Promise<pg.Client | undefined> {
    if (this.client) return this.client;
    const client = this.newClient(this.options.database);
    try {
      await client.connect();
    } catch (e) {
      if (!required && (e as { code?: string }).code === INVALID_CATALOG) return undefined;
      throw new TopoplanError('apply.connect', `apply: cannot connect to database "${this.options.database}" of store "${this.options.store}": ${(e as Error).message}`, [], { cause: e });
    }
    this.client = client;
    return client;
  }

  private async withMaintenance<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = this.newClient(MAINTENANCE_DATABASE);
    try {
      await client.connect();
    } catch (e) {
      throw new TopoplanError('apply.connect', `apply: cannot connect to server of store "${this.options.store}": ${(e as Error).message}`, [], { cause: e });
    }
    try { return await work(client); }
    finally { await client.end().catch(() => undefined); }
  }

  private newClient(database: string): pg.Client {
    const client = new pg.Client({ connectionString: databaseUrl(this.options.url, database), application_name: `topoplan ${this.options.store}` });
    // An idle connection dropped by the server emits 'error'; unhandled, it would crash the process.
    client.on('error', () => { if (this.client === client) this.client = undefined; });
    return client;
  }
}

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]+/g, '_');
}
