/**
 * A Neo4j store session. `create_database` steps run against the `system`
 * database (Neo4j Enterprise; Community has only `neo4j`, so the planner
 * should not emit them there); every other statement runs in its own
 * auto-commit transaction on the store's database.
 *
 * @example
 * const session = await neo4jEngine.connect({ store: 'graph', database: 'neo4j', url: 'neo4j://neo4j:secret@localhost:7687' })
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Driver, Session } from 'neo4j-driver';
import type { ApplyContext, BackupFile, ConnectOptions, EngineCapabilities, EngineSession, LedgerKey, LedgerState, LedgerWrite, LockBreak, LockOptions, SchemaSnapshot, StepOutcome } from '../engine.js';
import type { Step } from '../../plan/model.js';
import { TopoplanError } from '../../errors.js';
import { toStatementError } from '../statement-error.js';
import { cypherName } from './neo4j-driver-for.js';
import { ledgerWrites } from '../ledger-records.js';
import { ensureLedger, readLedgerState, removeRecords, upgradeLedger, writeRecords } from './neo4j-ledger.js';
import { acquireNodeLock, breakNodeLock, type NodeLock } from './neo4j-lock.js';
import { inspectNeo4j } from './neo4j-inspect.js';

import { NEO4J_CAPABILITIES } from '../engine-capabilities.js';
export { NEO4J_CAPABILITIES };

export class Neo4jSession implements EngineSession {
  readonly capabilities = NEO4J_CAPABILITIES;

  constructor(private readonly driver: Driver, private readonly options: ConnectOptions) {}

  private held: NodeLock | undefined;

  lock(options: LockOptions): Promise<() => Promise<void>> {
    // The lock lives as long as its own session, like PostgreSQL's dedicated lock connection.
    const session = this.session();
    return acquireNodeLock(session, { store: this.options.store, database: this.options.database, ...options }).then(
      (lock) => {
        this.held = lock;
        return async () => {
          if (this.held === lock) this.held = undefined;
          try { await lock.release(); } finally { await session.close(); }
        };
      },
      async (e: unknown) => { await session.close(); throw e; },
    );
  }

  breakLock(options: { force?: boolean } = {}): Promise<LockBreak> {
    return this.with((s) => breakNodeLock(s, this.options.database, options.force));
  }

  readLedger(): Promise<LedgerState> {
    return this.with((s) => readLedgerState(s));
  }

  upgradeLedger(records: readonly LedgerWrite[]): Promise<void> {
    return this.with((s) => upgradeLedger(s, records));
  }

  async applyStep(step: Step, _context: ApplyContext): Promise<StepOutcome> {
    if (this.held?.lost()) {
      throw new TopoplanError('apply.lock_lost', `apply: store "${this.options.store}" lost its lock (its lease ran out or it was broken while this apply ran); nothing more runs in it: apply again`);
    }
    const creates = step.kind === 'create_database';
    const started = performance.now();
    await this.with(async (s) => {
      if (!creates) { await ensureLedger(s); await writeRecords(s, ledgerWrites(step, 'started', 0)); }
      const target = creates ? this.driver.session({ database: 'system' }) : s;
      try {
        for (const [i, statement] of step.statements.entries()) {
          try { await target.run(statement); }
          catch (e) { throw toStatementError(step.id, i, statement, withPosition(e)); }
        }
      } finally {
        if (creates) await target.close();
      }
    });
    const durationMs = performance.now() - started;
    await this.with(async (s) => {
      if (creates) await ensureLedger(s);
      await writeRecords(s, ledgerWrites(step, 'applied', durationMs));
    });
    return { durationMs };
  }

  async record(writes: readonly LedgerWrite[], removals: readonly LedgerKey[] = []): Promise<void> {
    if (writes.length === 0 && removals.length === 0) return;
    await this.with(async (s) => {
      await ensureLedger(s);
      await s.executeWrite(async (tx) => {
        await removeRecords(tx, removals);
        await writeRecords(tx, writes);
      });
    });
  }

  /** Writes each label's nodes as JSON lines (one object of properties per node). */
  async backupTables(labels: readonly string[], dir: string): Promise<BackupFile[]> {
    await mkdir(dir, { recursive: true });
    const files: BackupFile[] = [];
    for (const label of labels) {
      const file = path.join(dir, `${this.options.store}.${label.replace(/[^A-Za-z0-9_.-]+/g, '_')}.jsonl`);
      const r = await this.with((s) => s.run(`MATCH (n:${cypherName(label)}) RETURN properties(n) AS p`));
      await writeFile(file, r.records.map((rec) => `${JSON.stringify(rec.get('p'))}\n`).join(''));
      files.push({ table: label, path: file, rows: r.records.length });
    }
    return files;
  }

  inspect(): Promise<SchemaSnapshot> {
    return this.with((s) => inspectNeo4j(s));
  }

  async countRows(label: string): Promise<number> {
    const r = await this.with((s) => s.run(`MATCH (n:${cypherName(label)}) RETURN count(n) AS n`));
    return Number(r.records[0]?.get('n') ?? 0);
  }

  close(): Promise<void> {
    return this.driver.close();
  }

  private session(): Session {
    return this.driver.session({ database: this.options.database });
  }

  private async with<T>(work: (s: Session) => Promise<T>): Promise<T> {
    const s = this.session();
    try { return await work(s); } finally { await s.close(); }
  }
}

/** Neo4j puts the error offset in the message: "(line 1, column 8 (offset: 7))". */
function withPosition(e: unknown): unknown {
  const err = e as { message?: string; position?: unknown };
  const m = typeof err?.message === 'string' ? /\(offset: (\d+)\)/.exec(err.message) : null;
  if (m && err.position === undefined) {
    try { Object.assign(err as object, { position: Number(m[1]) + 1 }); } catch { /* keep the error as is */ }
  }
  return e;
}
