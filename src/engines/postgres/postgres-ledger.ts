/**
 * The topoplan ledger of a PostgreSQL store: table `topoplan.ledger` in the
 * store's own database, one row per statement in effect, keyed by file and
 * statement fingerprint, so the record of a step commits (or rolls back)
 * together with the step's DDL and survives any regrouping of the plan.
 * A ledger of the earlier per-step format is read as such and upgraded in
 * place, in one transaction.
 *
 * @example
 * await ensureLedger(client)
 * await client.query(`${recordsSql(ledgerWrites(step, 'applied', 12))};\nCOMMIT`)
 * const { records, legacy } = await readLedgerState(client)
 */
import type pg from 'pg';
import type { LedgerKey, LedgerRecord, LedgerState, LedgerWrite, LegacyLedgerRow } from '../engine.js';
import { lastPerKey } from '../ledger-records.js';
import { quoteLiteral } from './quote-literal.js';

/** SQLSTATE of a missing table (or of a missing schema in a qualified table name). */
const UNDEFINED_TABLE = '42P01';

const LEDGER_TABLE = (name: string) => `CREATE TABLE IF NOT EXISTS topoplan.${name} (
  file text NOT NULL,
  fingerprint text NOT NULL,
  ordinal integer NOT NULL,
  store text NOT NULL,
  step_id text NOT NULL,
  phase text NOT NULL,
  status text NOT NULL CHECK (status IN ('applied', 'started')),
  origin text NOT NULL DEFAULT 'apply',
  applied_at timestamptz NOT NULL DEFAULT now(),
  duration_ms integer NOT NULL DEFAULT 0,
  sql text NOT NULL,
  source text,
  PRIMARY KEY (file, fingerprint)
)`;

const CREATE_LEDGER = ['CREATE SCHEMA IF NOT EXISTS topoplan', LEDGER_TABLE('ledger')];

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

const COLUMNS = 'file, fingerprint, ordinal, store, step_id, phase, status, origin, applied_at, duration_ms, sql, source';

function rowValues(w: LedgerWrite): string {
  const at = w.appliedAt ? `${quoteLiteral(w.appliedAt)}::timestamptz` : 'now()';
  return `(${[w.file, w.fingerprint, w.ordinal, w.store, w.stepId, w.phase, w.status, w.origin].map(quoteLiteral).join(', ')}, ${at}, ${quoteLiteral(w.durationMs)}, ${quoteLiteral(w.sql)}, ${quoteLiteral(w.source ?? null)})`;
}

/**
 * The statement that inserts or replaces records, values as literals, so it
 * can travel in one query with others (the COMMIT). Later writes of one key
 * win; with `keep`, a record already there stays as it is.
 */
export function recordsSql(writes: readonly LedgerWrite[], options: { readonly keep?: boolean } = {}): string {
  const insert = `INSERT INTO topoplan.ledger (${COLUMNS})
     VALUES ${lastPerKey(writes).map(rowValues).join(',\n       ')}`;
  if (options.keep) return `${insert}\n     ON CONFLICT (file, fingerprint) DO NOTHING`;
  return `${insert}
     ON CONFLICT (file, fingerprint) DO UPDATE SET ordinal = EXCLUDED.ordinal, store = EXCLUDED.store, step_id = EXCLUDED.step_id,
       phase = EXCLUDED.phase, status = EXCLUDED.status, origin = EXCLUDED.origin, applied_at = EXCLUDED.applied_at,
       duration_ms = EXCLUDED.duration_ms, sql = EXCLUDED.sql, source = EXCLUDED.source`;
}

const keyList = (keys: readonly LedgerKey[]) => keys.map((k) => `(${quoteLiteral(k.file)}, ${quoteLiteral(k.fingerprint)})`).join(', ');

/** The statement that marks started records applied, values as literals. */
export function markAppliedSql(keys: readonly LedgerKey[], durationMs: number): string {
  return `UPDATE topoplan.ledger SET status = 'applied', duration_ms = ${quoteLiteral(Math.round(durationMs))} WHERE (file, fingerprint) IN (${keyList(keys)})`;
}

/** The statement that removes records, or an empty string for none. */
export function removeSql(keys: readonly LedgerKey[]): string {
  return keys.length === 0 ? '' : `DELETE FROM topoplan.ledger WHERE (file, fingerprint) IN (${keyList(keys)})`;
}

interface RecordRow {
  file: string; fingerprint: string; ordinal: number; store: string; step_id: string; phase: string;
  status: 'applied' | 'started'; origin: LedgerRecord['origin']; applied_at: Date; duration_ms: number; sql: string; source: string | null;
}

interface LegacyRow {
  step_id: string; file: string | null; statements: string | null; checksum: string; phase: string;
  status: 'applied' | 'started'; applied_at: Date; duration_ms: number; sql: string | null;
}

/** The ledger: its records, or the rows of a per-step ledger not upgraded yet; empty when there is none. */
export async function readLedgerState(client: pg.ClientBase): Promise<LedgerState> {
  let r: pg.QueryResult;
  try {
    // Reading and handling "no such table" takes one round trip; asking first would take two. Never called inside a transaction.
    r = await client.query('SELECT * FROM topoplan.ledger');
  } catch (e) {
    if ((e as { code?: string }).code === UNDEFINED_TABLE) return { records: [] };
    throw e;
  }
  if (!r.fields.some((f) => f.name === 'fingerprint')) return { records: [], legacy: (r.rows as LegacyRow[]).map(legacyOf).sort(byTime) };
  return { records: (r.rows as RecordRow[]).map(recordOf).sort((a, b) => byTime(a, b) || compare(a.file, b.file) || a.ordinal - b.ordinal) };
}

/**
 * Rewrites a per-step ledger as records, in one transaction: the old table is
 * locked, checked to be still in the old format (another apply may have
 * upgraded it meanwhile), replaced and dropped. Nothing changes on failure.
 */
export async function upgradeLedgerTable(client: pg.ClientBase, records: readonly LedgerWrite[]): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('LOCK TABLE topoplan.ledger IN ACCESS EXCLUSIVE MODE');
    const still = await client.query(`SELECT 1 FROM pg_attribute WHERE attrelid = 'topoplan.ledger'::regclass AND attname = 'fingerprint' AND NOT attisdropped`);
    if (still.rowCount === 0) {
      await client.query(['ALTER TABLE topoplan.ledger RENAME TO ledger_per_step', LEDGER_TABLE('ledger'), ...(records.length ? [recordsSql(records)] : []), 'DROP TABLE topoplan.ledger_per_step'].join(';\n'));
    }
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

function recordOf(row: RecordRow): LedgerRecord {
  return {
    file: row.file,
    fingerprint: row.fingerprint,
    ordinal: row.ordinal,
    store: row.store,
    stepId: row.step_id,
    phase: row.phase,
    status: row.status,
    origin: row.origin,
    appliedAt: row.applied_at.toISOString(),
    durationMs: row.duration_ms,
    sql: row.sql,
    ...(row.source !== null ? { source: row.source } : {}),
  };
}

function legacyOf(row: LegacyRow): LegacyLedgerRow {
  return {
    stepId: row.step_id,
    ...(row.file !== null ? { file: row.file } : {}),
    ...(row.statements !== null ? { statements: row.statements } : {}),
    checksum: row.checksum,
    phase: row.phase,
    status: row.status,
    appliedAt: row.applied_at.toISOString(),
    durationMs: row.duration_ms,
    ...(row.sql !== null ? { sql: row.sql } : {}),
  };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byTime = (a: { appliedAt: string; stepId: string }, b: { appliedAt: string; stepId: string }) => compare(a.appliedAt, b.appliedAt) || compare(a.stepId, b.stepId);
