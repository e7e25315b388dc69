/**
 * A ClickHouse store session. Nothing is transactional: a step leaves a
 * `started` ledger row, runs its statements one request each, then an
 * `applied` row, so a step interrupted midway is visible as `started`. A
 * step that destroys nothing and whose every statement reruns safely (see
 * reruns-safely.ts: guarded DDL such as `CREATE TABLE IF NOT EXISTS`), and renames nothing, needs
 * no `started` row, since after a crash it simply runs again; its `applied`
 * rows are written together with the session's next write (the next step's
 * rows, the release of the lock, or once five seconds have passed; a ledger
 * read includes them), which saves two requests, each a new part on disk,
 * per step. A crash can then only make such statements run again.
 *
 * @example
 * const session = await clickhouseEngine.connect({ store: 'analytics', database: 'analytics', url: 'chdb:///var/lib/topoplan/ch' })
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ApplyContext, BackupFile, ConnectOptions, EngineCapabilities, EngineSession, InspectScope, LedgerKey, LedgerRecord, LedgerState, LedgerWrite, LockBreak, LockOptions, SchemaSnapshot, StepOutcome } from '../engine.js';
import type { Step } from '../../plan/model.js';
import { TopoplanError } from '../../errors.js';
import { toStatementError } from '../statement-error.js';
import type { ClickHouseConnection } from './clickhouse-connection.js';
import { keyString, ledgerWrites } from '../ledger-records.js';
import { appendRecords, layoutOf, readLedgerState, upgradeLedgerTable, type LedgerLayout } from './clickhouse-ledger.js';
import { acquireTableLock, breakTableLock, type TableLock } from './clickhouse-lock.js';
import { acquireEmbeddedLock, breakEmbeddedLock } from './embedded-lock.js';
import { inspectClickHouse } from './clickhouse-inspect.js';
import { chTable } from './clickhouse-sql.js';
import { backupClickHouse } from './backup-clickhouse.js';
import { restoreClickHouse } from './restore-clickhouse.js';
import type { FoundBackup, RestoredObject } from '../backup-manifest.js';
import { rerunsSafely } from '../../sql/clickhouse/reruns-safely.js';

/** How long `applied` rows of safely rerunnable steps may wait for the session's next write. */
const PENDING_MS = 5_000;

import { CLICKHOUSE_CAPABILITIES } from '../engine-capabilities.js';
export { CLICKHOUSE_CAPABILITIES };

export class ClickHouseSession implements EngineSession {
  readonly capabilities = CLICKHOUSE_CAPABILITIES;

  constructor(private readonly conn: ClickHouseConnection, private readonly options: ConnectOptions) {}

  private held: TableLock | undefined;
  /** Whether this session made sure its ledger table exists. */
  private ledgerReady = false;
  /** How the ledger table keeps its rows: as found, or as a new one is made here. */
  private layout: LedgerLayout | undefined;
  /** `applied` rows of steps that rerun safely, not written yet (see the file's comment), and since when. */
  private pending: LedgerRecord[] = [];
  private pendingSince = 0;

  async lock(options: LockOptions): Promise<() => Promise<void>> {
    const request = { store: this.options.store, database: this.options.database, cluster: this.options, ...options };
    // Embedded: no other process can open the store while this one has it open, so the claim is held in memory.
    const embedded = this.conn.embeddedPath;
    const lock = embedded !== undefined ? await acquireEmbeddedLock(embedded, request) : await acquireTableLock(this.conn, request);
    this.held = lock;
    return async () => {
      if (this.held === lock) this.held = undefined;
      // The next holder reads the ledger: it must find every step of this one.
      try { await this.flush(); } finally { await lock.release(); }
    };
  }

  /**
   * Writes the pending rows, then these removals and rows, in one request;
   * a ledger table not known to exist is created first (if it does not),
   * in the same request where the connection takes several statements.
   * A pending row of a key removed here is not written: the removal would replace it.
   */
  private async write(rows: readonly LedgerWrite[], removals: readonly LedgerKey[] = []): Promise<void> {
    const removed = new Set(removals.map(keyString));
    const writes = [...(removed.size > 0 ? this.pending.filter((p) => !removed.has(keyString(p))) : this.pending), ...rows];
    if (writes.length === 0 && removals.length === 0) return;
    const layout = (this.layout ??= layoutOf(this.conn));
    await appendRecords(this.conn, this.options.database, { removals, writes }, this.ledgerReady ? { layout } : { create: this.options, layout });
    this.ledgerReady = true;
    this.pending = [];
  }

  /** Writes the pending `applied` rows, if any. */
  async flush(): Promise<void> {
    await this.write([]);
  }

  async breakLock(options: { force?: boolean } = {}): Promise<LockBreak> {
    const embedded = this.conn.embeddedPath;
    if (embedded !== undefined) return breakEmbeddedLock(embedded, this.options.database, options.force);
    return breakTableLock(this.conn, this.options.database, options.force, this.options);
  }

  /** The ledger as written, with the rows this session has not written yet. */
  async readLedger(): Promise<LedgerState> {
    const { found, layout, ...state } = await readLedgerState(this.conn, this.options.database);
    // A ledger found in the records format is there to write to, as it keeps its rows.
    if (found) this.ledgerReady = true;
    if (layout) this.layout = layout;
    if (this.pending.length === 0 || state.legacy) return state;
    const key = (r: LedgerKey) => `${r.file}\u0000${r.fingerprint}`;
    const mine = new Set(this.pending.map(key));
    return { records: [...state.records.filter((r) => !mine.has(key(r))), ...this.pending] };
  }

  async upgradeLedger(records: readonly LedgerWrite[]): Promise<void> {
    await upgradeLedgerTable(this.conn, this.options.database, records);
    await this.flush();
  }

  async applyStep(step: Step, context: ApplyContext): Promise<StepOutcome> {
    if (this.held?.lost()) {
      throw new TopoplanError('apply.lock_lost', `apply: store "${this.options.store}" lost its lock (its claim was broken or ran out while this apply ran); nothing more runs in it: apply again`);
    }
    const db = this.options.database;
    // Before the `started` records: a backup that fails leaves the step as if it never began.
    const dir = step.destructive ? context.backupDir : undefined;
    const manifest = dir ? await backupClickHouse(this.conn, { store: this.options.store, database: db, step, dir }) : undefined;
    const creates = step.kind === 'create_database';
    // A destructive step keeps both rows: run again, it would back up what is left (nothing) over what it destroyed.
    // So does a rename: run again, a statement before it may have made its source again (see renames).
    const rerunnable = step.kind !== 'copy_rows' && !step.destructive && step.statements.every(rerunsSafely) && !step.statements.some(renames);
    if (!creates && !rerunnable) await this.write(ledgerWrites(step, 'started', 0));
    const started = performance.now();
    let rows = 0;
    const notes: string[] = [];
    for (const [i, sql] of step.statements.entries()) {
      // A SET's settings go with each statement it governs (step.settings): sent alone it would hold for nothing.
      if (isSetStatement(sql)) continue;
      try {
        // CREATE DATABASE runs before its database exists, so it cannot run "in" it.
        const r = await this.conn.command(sql, creates ? undefined : db, step.settings?.[i]);
        rows += r.writtenRows ?? 0;
        if (r.notes?.length) notes.push(`statement ${(step.source?.firstStatement ?? 0) + i + 1}: ${r.notes.join('; ')}`);
      } catch (e) {
        throw toStatementError(step.id, i, sql, withPosition(e));
      }
    }
    const durationMs = performance.now() - started;
    // The ledger lives in the database the step made: the next write creates it.
    // The time it was applied, not the time its row is written.
    const at = new Date().toISOString();
    const applied: LedgerRecord[] = ledgerWrites(step, 'applied', durationMs).map((w) => ({ ...w, appliedAt: w.appliedAt ?? at }));
    if (rerunnable) {
      if (this.pending.length === 0) this.pendingSince = Date.now();
      this.pending.push(...applied);
      if (Date.now() - this.pendingSince >= PENDING_MS) await this.flush();
    } else await this.write(applied);
    return { durationMs, ...(step.kind === 'copy_rows' ? { rows } : {}), ...(notes.length > 0 ? { notes } : {}), ...(manifest && dir ? { backup: { dir, manifest } } : {}) };
  }

  async record(writes: readonly LedgerWrite[], removals: readonly LedgerKey[] = []): Promise<void> {
    // With the pending rows: one request. A key both removed and written ends written.
    await this.write(writes, removals);
  }

  async backupTables(tables: readonly string[], dir: string): Promise<BackupFile[]> {
    await mkdir(dir, { recursive: true });
    const files: BackupFile[] = [];
    for (const table of tables) {
      const file = path.join(dir, `${safeName(this.options.store)}.${safeName(table)}.csv`);
      const rows = await this.countRows(table);
      const stream = await this.conn.stream(`SELECT * FROM ${chTable(table, this.options.database)} FORMAT CSVWithNames`);
      await pipeline(stream, createWriteStream(file));
      files.push({ table, path: file, rows });
    }
    return files;
  }

  restoreBackup(backup: FoundBackup, options: { readonly force?: boolean }): Promise<RestoredObject[]> {
    return restoreClickHouse(this.conn, backup, { store: this.options.store, ...(options.force ? { force: true } : {}) });
  }

  inspect(scope: InspectScope = 'full'): Promise<SchemaSnapshot> {
    return inspectClickHouse(this.conn, this.options.database, scope);
  }

  async countRows(table: string): Promise<number> {
    const r = await this.conn.rows<{ n: string | number }>(`SELECT count() AS n FROM ${chTable(table, this.options.database)}`);
    return Number(r[0]?.n ?? 0);
  }

  async close(): Promise<void> {
    try { await this.flush(); } finally { await this.conn.close(); }
  }
}

/** ClickHouse reports syntax errors as "failed at position N" in the message; lift it into `position`. */
function withPosition(e: unknown): unknown {
  const err = e as { message?: string; position?: unknown; type?: string };
  const m = typeof err?.message === 'string' ? /failed at position (\d+)/.exec(err.message) : null;
  if (m && err.position === undefined) {
    try { Object.assign(err as object, { position: Number(m[1]) }); } catch { /* frozen error: keep it as is */ }
  }
  return e;
}

/**
 * A statement that renames a table, dictionary or column. Guarded (`IF
 * EXISTS`) it reruns safely alone, but not after what came before it ran
 * again: `CREATE TABLE IF NOT EXISTS a` then `RENAME TABLE IF EXISTS a TO b`,
 * run a second time, makes `a` again and then finds `b` there. Such a step
 * keeps its `started` and `applied` rows. Read from the text (a comment
 * naming a rename only costs the rows).
 */
export function renames(sql: string): boolean {
  return /^\s*(?:RENAME|EXCHANGE)\s/i.test(sql) || /^\s*ALTER\s[\s\S]*\bRENAME\s+COLUMN\b/i.test(sql);
}

/** `SET a = 1`, not `SET ROLE` / `SET DEFAULT ROLE` (access control, which runs as a statement). */
export function isSetStatement(sql: string): boolean {
  return /^SET\s+(?!(?:DEFAULT\s+)?ROLE\b)/i.test(sql);
}

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]+/g, '_');
}
