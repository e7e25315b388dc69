/**
 * The topoplan ledger of a ClickHouse store: `<database>.topoplan_ledger`.
 * ClickHouse has no transactions, so every change is a new row with a larger
 * server-assigned `version` (a ReplacingMergeTree keeps the newest on merge)
 * and readers take the newest row per step. A step is written `started`
 * before its statements and `applied` after them.
 *
 * @example
 * await ensureLedger(conn, 'analytics')
 * await writeLedgerRow(conn, step, 'started', 0)
 */
import type { LedgerEntry } from '../engine.js';
import type { Step } from '../../plan/model.js';
import type { ClickHouseConnection } from './clickhouse-connection.js';
import { chIdent, chString } from './clickhouse-sql.js';

const table = (database: string) => `${chIdent(database)}.topoplan_ledger`;

export async function ensureLedger(conn: ClickHouseConnection, database: string): Promise<void> {
  await conn.command(`CREATE TABLE IF NOT EXISTS ${table(database)} (
  step_id String, file String, statements String, checksum String, phase String,
  status LowCardinality(String), applied_at DateTime64(3, 'UTC'), duration_ms UInt32, sql String, version UInt64
) ENGINE = ReplacingMergeTree(version) ORDER BY step_id`);
}

export interface LedgerWrite {
  readonly stepId: string;
  readonly file: string;
  readonly statements: string;
  readonly checksum: string;
  readonly phase: string;
  readonly status: 'applied' | 'started';
  readonly durationMs: number;
  readonly sql: string;
  /** Keep this time (re-records); otherwise the server's now. */
  readonly appliedAtMs?: number;
}

/** What a step's row says before timing is known. */
export function ledgerWriteFor(step: Step, status: 'applied' | 'started', durationMs: number): LedgerWrite {
  return {
    stepId: step.id,
    file: step.source?.file ?? '',
    statements: step.source ? `${step.source.firstStatement}-${step.source.lastStatement}` : '',
    checksum: step.checksum,
    phase: step.phase,
    status,
    durationMs,
    sql: step.statements.join(';\n'),
  };
}

/** Appends a row; the server clock orders rows, so two processes never disagree on which is newest. */
export async function writeLedgerRow(conn: ClickHouseConnection, database: string, row: LedgerWrite): Promise<void> {
  const at = row.appliedAtMs !== undefined ? `fromUnixTimestamp64Milli(toInt64(${Math.round(row.appliedAtMs)}), 'UTC')` : `now64(3, 'UTC')`;
  await conn.command(
    `INSERT INTO ${table(database)} (step_id, file, statements, checksum, phase, status, applied_at, duration_ms, sql, version) ` +
      `SELECT ${[row.stepId, row.file, row.statements, row.checksum, row.phase, row.status].map(chString).join(', ')}, ` +
      `${at}, ${Math.max(0, Math.round(row.durationMs))}, ${chString(row.sql)}, toUInt64(toUnixTimestamp64Micro(now64(6)))`,
  );
}

interface Row {
  step_id: string; file: string; statements: string; checksum: string; phase: string;
  status: 'applied' | 'started'; applied_ms: string | number; duration_ms: number; sql: string; version: string | number;
}

/** Newest row per step; empty when the database or the ledger does not exist. */
export async function readLedgerRows(conn: ClickHouseConnection, database: string): Promise<LedgerEntry[]> {
  const present = await conn.rows<{ n: string | number }>(
    `SELECT count() AS n FROM system.tables WHERE database = ${chString(database)} AND name = 'topoplan_ledger'`,
  );
  if (Number(present[0]?.n ?? 0) === 0) return [];
  const rows = await conn.rows<Row>(
    `SELECT step_id, file, statements, checksum, phase, status, toUnixTimestamp64Milli(applied_at) AS applied_ms, duration_ms, sql, version
       FROM ${table(database)} ORDER BY step_id, version DESC, status = 'applied' DESC LIMIT 1 BY step_id`,
  );
  // Steps applied within the same millisecond keep the order the server numbered them in.
  const order = (r: Row) => BigInt(r.version);
  return rows
    .sort((a, b) => Number(a.applied_ms) - Number(b.applied_ms) || (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0))
    .map((r) => ({
      stepId: r.step_id,
      ...(r.file ? { file: r.file } : {}),
      statements: r.statements,
      checksum: r.checksum,
      phase: r.phase,
      status: r.status,
      appliedAt: new Date(Number(r.applied_ms)).toISOString(),
      durationMs: Number(r.duration_ms),
      sql: r.sql,
    }));
}
