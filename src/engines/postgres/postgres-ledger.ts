/**
 * The topoplan ledger of a PostgreSQL store: table `topoplan.ledger` in the
 * store's own database, so the record of a step commits (or rolls back)
 * together with the step's DDL.
 *
 * @example
 * await ensureLedger(client)
 * await writeLedgerRow(client, step, 'applied', 12)
 * await client.query(`${ledgerRowSql(step, 'applied', 12)};\nCOMMIT`)
 * const rows = await readLedgerRows(client)
 */
import type pg from 'pg';
import type { LedgerEntry } from '../engine.js';
import type { Step } from '../../plan/model.js';
import { quoteLiteral } from './quote-literal.js';

/** SQLSTATE of a missing table (or of a missing schema in a qualified table name). */
const UNDEFINED_TABLE = '42P01';

const CREATE_LEDGER = [
  'CREATE SCHEMA IF NOT EXISTS topoplan',
  `CREATE TABLE IF NOT EXISTS topoplan.ledger (
  step_id text PRIMARY KEY,
  file text,
  statements text,
  checksum text NOT NULL,
  phase text NOT NULL,
  status text NOT NULL CHECK (status IN ('applied', 'started')),
  applied_at timestamptz NOT NULL DEFAULT now(),
  duration_ms integer NOT NULL DEFAULT 0,
  sql text
)`,
];

/** Connections that have made sure of the ledger already: once per connection, not once per step. */
const ledgerReady = new WeakSet<pg.ClientBase>();

/** Creates the `topoplan` schema and ledger table when missing (idempotent). One round trip, one commit. */
export async function ensureLedger(client: pg.ClientBase): Promise<void> {
  if (ledgerReady.has(client)) return;
  // Both statements in one query run as one implicit transaction.
  const sql = CREATE_LEDGER.join(';\n');
  // Two applies may create the ledger at once; IF NOT EXISTS still races on the catalog, so retry once.
  try { await client.query(sql); }
  catch (e) {
    if ((e as { code?: string }).code !== '23505') throw e;
    await client.query(sql);
  }
  ledgerReady.add(client);
}

/** The ledger's view of the statements a step covers: `first-last`, or empty for synthetic steps. */
export function statementRange(step: Step): string {
  return step.source ? `${step.source.firstStatement}-${step.source.lastStatement}` : '';
}

/** The SQL recorded for a step: its statements joined the way the checksum joins them. */
export function recordedSql(step: Step): string {
  return step.statements.join(';\n');
}

/**
 * The statement that inserts or replaces the ledger row of a step, with its
 * values as literals, so it can travel in one query with others (the COMMIT).
 */
export function ledgerRowSql(step: Step, status: 'applied' | 'started', durationMs: number): string {
  const values = [step.id, step.source?.file ?? null, statementRange(step), step.checksum, step.phase, status].map(quoteLiteral);
  return `INSERT INTO topoplan.ledger (step_id, file, statements, checksum, phase, status, applied_at, duration_ms, sql)
     VALUES (${values.join(', ')}, now(), ${quoteLiteral(Math.round(durationMs))}, ${quoteLiteral(recordedSql(step))})
     ON CONFLICT (step_id) DO UPDATE SET file = EXCLUDED.file, statements = EXCLUDED.statements,
       checksum = EXCLUDED.checksum, phase = EXCLUDED.phase, status = EXCLUDED.status,
       applied_at = EXCLUDED.applied_at, duration_ms = EXCLUDED.duration_ms, sql = EXCLUDED.sql`;
}

/** Inserts or replaces the ledger row of a step. */
export async function writeLedgerRow(client: pg.ClientBase, step: Step, status: 'applied' | 'started', durationMs: number): Promise<void> {
  await client.query(ledgerRowSql(step, status, durationMs));
}

/** The statement that marks a started non-transactional step as applied, values as literals. */
export function markAppliedSql(stepId: string, durationMs: number): string {
  return `UPDATE topoplan.ledger SET status = 'applied', duration_ms = ${quoteLiteral(Math.round(durationMs))} WHERE step_id = ${quoteLiteral(stepId)}`;
}

/** Rewrites checksum and SQL of an existing row without touching its status or time. */
export async function rerecordRow(client: pg.ClientBase, step: Step): Promise<number> {
  const r = await client.query(
    `UPDATE topoplan.ledger SET checksum = $2, sql = $3, file = $4, statements = $5 WHERE step_id = $1`,
    [step.id, step.checksum, recordedSql(step), step.source?.file ?? null, statementRange(step)],
  );
  return r.rowCount ?? 0;
}

interface LedgerRow {
  step_id: string;
  file: string | null;
  statements: string | null;
  checksum: string;
  phase: string;
  status: 'applied' | 'started';
  applied_at: Date;
  duration_ms: number;
  sql: string | null;
}

/** Every ledger row, ordered by time then step id; empty when the ledger does not exist yet. */
export async function readLedgerRows(client: pg.ClientBase): Promise<LedgerEntry[]> {
  let r: pg.QueryResult<LedgerRow>;
  try {
    // Reading and handling "no such table" takes one round trip; asking first would take two. Never called inside a transaction.
    r = await client.query<LedgerRow>('SELECT * FROM topoplan.ledger ORDER BY applied_at, step_id');
  } catch (e) {
    if ((e as { code?: string }).code === UNDEFINED_TABLE) return [];
    throw e;
  }
  return r.rows.map((row) => ({
    stepId: row.step_id,
    ...(row.file !== null ? { file: row.file } : {}),
    ...(row.statements !== null ? { statements: row.statements } : {}),
    checksum: row.checksum,
    phase: row.phase,
    status: row.status,
    appliedAt: row.applied_at.toISOString(),
    durationMs: row.duration_ms,
    ...(row.sql !== null ? { sql: row.sql } : {}),
  }));
}
