/**
 * The transition's progress, kept in each target database
 * (`topoplan.transition`), so an interrupted transition resumes where it
 * stopped: per table, its status (expanded → copied → verified →
 * contracted; live: expanded → streaming → verified), rows, and the source
 * checksum; per live stream (`topoplan.transition_stream`), its phase
 * (streaming → cut-over, or aborted) and the write freeze of its cut-over. A copied table's own steps
 * are in the target's topoplan ledger too, so applying B afterwards finds
 * them applied.
 */
import type pg from 'pg';
import { ledgerWrites } from '../engines/ledger-records.js';
import { ensureLedger, recordsSql } from '../engines/postgres/postgres-ledger.js';
import type { Plan } from '../plan/model.js';

/** `streaming`: a live transition's subscription copies and follows the table. */
export type TableStatus = 'expanded' | 'streaming' | 'copied' | 'verified' | 'contracted';

export interface TransitionRow {
  readonly table: string;
  readonly status: TableStatus;
  readonly rows: number;
  readonly checksum?: string;
}

/** The columns of each ledger table, between its key and `updated_at`. */
const LEDGER_TABLES = {
  transition: ['table_name text PRIMARY KEY', 'source_store text NOT NULL', 'target_store text NOT NULL', 'status text NOT NULL', 'rows bigint NOT NULL DEFAULT 0', 'source_checksum text'],
  transition_stream: ['subscription text PRIMARY KEY', 'source_store text NOT NULL', 'phase text NOT NULL', 'freeze_ms integer'],
} as const;

/** Creates `topoplan.<table>` (and the schema) when missing. */
async function ensureLedgerTable(c: pg.ClientBase, table: keyof typeof LEDGER_TABLES): Promise<void> {
  await c.query('CREATE SCHEMA IF NOT EXISTS topoplan');
  const columns = [...LEDGER_TABLES[table], 'updated_at timestamptz NOT NULL DEFAULT now()'];
  await c.query(`CREATE TABLE IF NOT EXISTS topoplan.${table} (\n    ${columns.join(',\n    ')}\n  )`);
}

/** Creates the per-table ledger `topoplan.transition` when missing. */
export async function ensureTransitionLedger(c: pg.ClientBase): Promise<void> {
  await ensureLedgerTable(c, 'transition');
}

export async function readTransitionRow(c: pg.ClientBase, table: string): Promise<TransitionRow | undefined> {
  const r = await c.query<{ status: TableStatus; rows: string; source_checksum: string | null }>('SELECT status, rows, source_checksum FROM topoplan.transition WHERE table_name = $1', [table]);
  const row = r.rows[0];
  return row ? { table, status: row.status, rows: Number(row.rows), ...(row.source_checksum ? { checksum: row.source_checksum } : {}) } : undefined;
}

export async function writeTransitionRow(c: pg.ClientBase, row: TransitionRow & { from: string; to: string }): Promise<void> {
  await c.query(
    `INSERT INTO topoplan.transition (table_name, source_store, target_store, status, rows, source_checksum, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, now())
     ON CONFLICT (table_name) DO UPDATE SET status = EXCLUDED.status, rows = EXCLUDED.rows, source_checksum = EXCLUDED.source_checksum, updated_at = now()`,
    [row.table, row.from, row.to, row.status, row.rows, row.checksum ?? null],
  );
}

/**
 * Records in the target's ledger, in the copy's transaction, the statements
 * of B's steps that create `table` there, keeping records already present
 * (the expand phase writes them as it runs the steps).
 */
export async function recordMovedTable(c: pg.ClientBase, planB: Plan, store: string, table: string): Promise<void> {
  const steps = planB.steps.filter((s) => s.store === store && s.changes.some((ch) => ch.action === 'create' && ch.kind === 'table' && ch.name === table));
  const writes = steps.flatMap((s) => ledgerWrites(s, 'applied', 0, 'transition'));
  if (writes.length === 0) return;
  await ensureLedger(c);
  await c.query(recordsSql(writes, { keep: true }));
}

export type StreamPhase = 'streaming' | 'cut-over' | 'aborted';

export interface StreamRow {
  readonly subscription: string;
  readonly phase: StreamPhase;
  readonly freezeMs?: number;
}

/** Creates the per-stream ledger `topoplan.transition_stream` when missing. */
export async function ensureStreamLedger(c: pg.ClientBase): Promise<void> {
  await ensureLedgerTable(c, 'transition_stream');
}

/** The stream's row; undefined before any stream started (the table may not exist yet: reading creates nothing). */
export async function readStreamRow(c: pg.ClientBase, subscription: string): Promise<StreamRow | undefined> {
  if ((await c.query<{ t: string | null }>("SELECT to_regclass('topoplan.transition_stream')::text AS t")).rows[0]!.t === null) return undefined;
  const r = await c.query<{ phase: StreamPhase; freeze_ms: number | null }>('SELECT phase, freeze_ms FROM topoplan.transition_stream WHERE subscription = $1', [subscription]);
  const row = r.rows[0];
  return row ? { subscription, phase: row.phase, ...(row.freeze_ms !== null ? { freezeMs: row.freeze_ms } : {}) } : undefined;
}

export async function writeStreamRow(c: pg.ClientBase, row: StreamRow & { from: string }): Promise<void> {
  await c.query(
    `INSERT INTO topoplan.transition_stream (subscription, source_store, phase, freeze_ms, updated_at) VALUES ($1, $2, $3, $4, now())
     ON CONFLICT (subscription) DO UPDATE SET phase = EXCLUDED.phase, freeze_ms = EXCLUDED.freeze_ms, updated_at = now()`,
    [row.subscription, row.from, row.phase, row.freezeMs ?? null],
  );
}
