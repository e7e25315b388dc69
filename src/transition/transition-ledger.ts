/**
 * The transition's progress, kept in each target database
 * (`topoplan.transition`), so an interrupted transition resumes where it
 * stopped: per table, its status (expanded → copied → verified →
 * contracted), rows, and the source checksum.
 */
import type pg from 'pg';

export type TableStatus = 'expanded' | 'copied' | 'verified' | 'contracted';

export interface TransitionRow {
  readonly table: string;
  readonly status: TableStatus;
  readonly rows: number;
  readonly checksum?: string;
}

export async function ensureTransitionLedger(c: pg.ClientBase): Promise<void> {
  await c.query('CREATE SCHEMA IF NOT EXISTS topoplan');
  await c.query(`CREATE TABLE IF NOT EXISTS topoplan.transition (
    table_name text PRIMARY KEY,
    source_store text NOT NULL,
    target_store text NOT NULL,
    status text NOT NULL,
    rows bigint NOT NULL DEFAULT 0,
    source_checksum text,
    updated_at timestamptz NOT NULL DEFAULT now()
  )`);
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
