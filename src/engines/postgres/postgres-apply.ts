/**
 * How a step runs on PostgreSQL: transactional steps commit their statements,
 * ledger row and sqlx row together; non-transactional steps (CREATE INDEX
 * CONCURRENTLY, ALTER TYPE ... ADD VALUE on old servers) leave a `started` row
 * first so an interrupted run is visible; CREATE DATABASE runs from the
 * maintenance database and is skipped when the database already exists.
 *
 * @example
 * const outcome = await applyTransactional(client, step)
 */
import type pg from 'pg';
import type { StepOutcome } from '../engine.js';
import type { Step } from '../../plan/model.js';
import { toStatementError } from '../statement-error.js';
import { ledgerKeys, ledgerWrites } from '../ledger-records.js';
import { ensureLedger, markAppliedSql, recordsSql } from './postgres-ledger.js';
import { sqlxRowSql } from './postgres-sqlx.js';

/** Runs each statement on its own; returns rows inserted (for copy steps). Errors name the statement. */
export async function runStatements(client: pg.ClientBase, step: Step): Promise<number> {
  let inserted = 0;
  for (const [i, sql] of step.statements.entries()) {
    try {
      const r = await client.query(sql);
      for (const one of Array.isArray(r) ? r : [r]) if (one.command === 'INSERT') inserted += one.rowCount ?? 0;
    } catch (e) {
      throw toStatementError(step.id, i, sql, e);
    }
  }
  return inserted;
}

/**
 * A step's `SET search_path` lasts for its own statements only: the next step, and the sqlx row (written in the
 * first schema of the path), see the connection's own path, as the planner read them.
 */
export const RESET_PATH = 'RESET search_path';

function sqlxNeeded(step: Step): step is Step & { sqlx: NonNullable<Step['sqlx']> } {
  return step.sqlx !== undefined && step.sqlx.completesFile;
}

/**
 * Runs before a step's statements on its connection (a backup of what it destroys):
 * `inStep` is true inside the step's own transaction, false in one of its own before a
 * step that runs outside any. When it throws, the step's statements do not run.
 */
export type BeforeStatements = (client: pg.ClientBase, inStep: boolean) => Promise<void>;

/** BEGIN; `before`; statements; ledger records; sqlx row; COMMIT — or nothing at all. */
export async function applyTransactional(client: pg.ClientBase, step: Step, before?: BeforeStatements): Promise<StepOutcome> {
  // The ledger is created outside the step's transaction: a concurrent creation error would abort it.
  await ensureLedger(client);
  const started = process.hrtime.bigint();
  await client.query('BEGIN');
  try {
    await before?.(client, true);
    const rows = await runStatements(client, step);
    const elapsed = process.hrtime.bigint() - started;
    // The step's own statements go one by one, so an error names its statement; the bookkeeping after them goes in one round trip.
    await client.query([
      RESET_PATH,
      recordsSql(ledgerWrites(step, 'applied', Number(elapsed / 1_000_000n))),
      ...(sqlxNeeded(step) ? [sqlxRowSql(step.sqlx, elapsed)] : []),
      'COMMIT',
    ].join(';\n'));
    return { durationMs: Number(process.hrtime.bigint() - started) / 1e6, ...(step.kind === 'copy_rows' ? { rows } : {}) };
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

/** `before` in a snapshot of its own, `started` records (committed), statements in autocommit, then the sqlx row and `applied` together. */
export async function applyNonTransactional(client: pg.ClientBase, step: Step, before?: BeforeStatements): Promise<StepOutcome> {
  await ensureLedger(client);
  if (before) {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    try {
      await before(client, false);
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
  }
  await client.query(recordsSql(ledgerWrites(step, 'started', 0)));
  const started = process.hrtime.bigint();
  let rows: number;
  try {
    rows = await runStatements(client, step);
  } catch (e) {
    await client.query(RESET_PATH).catch(() => undefined);
    throw e;
  }
  const elapsed = process.hrtime.bigint() - started;
  // Several statements in one query commit together (an implicit transaction).
  await client.query([
    RESET_PATH,
    ...(sqlxNeeded(step) ? [sqlxRowSql(step.sqlx, elapsed)] : []),
    markAppliedSql(ledgerKeys(step), Number(elapsed / 1_000_000n)),
  ].join(';\n'));
  return { durationMs: Number(elapsed) / 1e6, ...(step.kind === 'copy_rows' ? { rows } : {}) };
}

/**
 * Runs CREATE DATABASE from the maintenance connection unless the database exists,
 * then records the step in the new database's own ledger.
 */
export async function applyCreateDatabase(
  maintenance: pg.ClientBase,
  openTarget: () => Promise<pg.ClientBase>,
  step: Step,
): Promise<StepOutcome> {
  const started = process.hrtime.bigint();
  const exists = await maintenance.query('SELECT 1 FROM pg_database WHERE datname = $1', [step.database]);
  if (exists.rowCount === 0) {
    try { await runStatements(maintenance, step); }
    catch (e) {
      // Another apply may have created it between our check and our statement.
      if ((e as { cause?: { code?: string } }).cause?.code !== '42P04') throw e;
    }
  }
  const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  const target = await openTarget();
  await ensureLedger(target);
  await target.query(recordsSql(ledgerWrites(step, 'applied', elapsed)));
  return { durationMs: elapsed };
}
