/**
 * How a step's revert runs on PostgreSQL (`topoplan rollback`): BEGIN; a
 * backup of what the revert destroys; its statements; the removal of the
 * step's ledger records and of its sqlx row; COMMIT — or nothing at all.
 * A revert with a statement that cannot run in a transaction (DROP INDEX
 * CONCURRENTLY) backs up in a snapshot of its own, runs its statements one
 * by one, then removes the records.
 *
 * @example
 * await revertPostgres(client, { stepId: 'main:app/001_t.sql#1', statements: ['DROP TABLE public.t'], transactional: true, removals, destroys: [] }, { store: 'main', database: 'main' })
 */
import type pg from 'pg';
import type { BackupManifest } from '../backup-manifest.js';
import type { RevertWork, StepOutcome } from '../engine.js';
import { toStatementError } from '../statement-error.js';
import { backupPostgres } from './backup-postgres.js';
import { ensureLedger, removeSql } from './postgres-ledger.js';
import { RESET_PATH } from './postgres-apply.js';
import { sqlxTableSql } from './postgres-sqlx.js';
import { quoteLiteral } from './quote-literal.js';

export interface RevertTarget {
  readonly store: string;
  readonly database: string;
  /** Where the backup of what the revert destroys goes. */
  readonly backupDir?: string;
}

export async function revertPostgres(client: pg.ClientBase, work: RevertWork, target: RevertTarget): Promise<StepOutcome> {
  await ensureLedger(client);
  const started = process.hrtime.bigint();
  const bookkeeping = [removeSql(work.removals), await sqlxRemoval(client, work)].filter(Boolean);
  let manifest: BackupManifest | undefined;
  const backup = async (lock: boolean) => {
    if (!target.backupDir || work.destroys.length === 0) return;
    manifest = await backupPostgres(client, { store: target.store, database: target.database, step: { id: work.stepId, statements: work.statements, destroys: work.destroys }, dir: target.backupDir, lock });
  };
  if (work.transactional) {
    await client.query('BEGIN');
    try {
      await backup(true);
      await run(client, work);
      await client.query([RESET_PATH, ...bookkeeping, 'COMMIT'].join(';\n'));
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
  } else {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    try {
      await backup(false);
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
    try {
      await run(client, work);
    } finally {
      await client.query(RESET_PATH).catch(() => undefined);
    }
    if (bookkeeping.length > 0) await client.query(bookkeeping.join(';\n'));
  }
  const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
  return manifest && target.backupDir ? { durationMs, backup: { dir: target.backupDir, manifest } } : { durationMs };
}

async function run(client: pg.ClientBase, work: RevertWork): Promise<void> {
  for (const [i, sql] of work.statements.entries()) {
    try {
      await client.query(sql);
    } catch (e) {
      throw toStatementError(`${work.stepId} (revert)`, i, sql, e);
    }
  }
}

/** The DELETE of the step's sqlx row, or nothing when the table is not there. */
async function sqlxRemoval(client: pg.ClientBase, work: RevertWork): Promise<string> {
  if (!work.sqlx) return '';
  const table = sqlxTableSql(work.sqlx.table);
  const exists = await client.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [table]);
  return exists.rows[0]?.t ? `DELETE FROM ${table} WHERE version = ${quoteLiteral(work.sqlx.version)}::bigint` : '';
}
